package local

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	ociv1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/image"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

func (e *images) Pull(ctx context.Context, opts engine.PullOptions, progress io.Writer) (*engine.PullReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.Pull(ctx, opts, quiet(opts.Quiet, progress))
}

func (e *images) Push(ctx context.Context, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.Push(ctx, opts, quiet(opts.Quiet, progress))
}

func (e *images) Save(ctx context.Context, opts engine.SaveOptions, out io.Writer) error {
	store, err := e.rt.Images()
	if err != nil {
		return err
	}
	return store.Save(ctx, opts, out)
}

func (e *images) Load(ctx context.Context, opts engine.LoadOptions, in io.Reader, progress io.Writer) (*engine.LoadReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.Load(ctx, opts, in, quiet(opts.Quiet, progress))
}

func (e *images) Untag(ctx context.Context, name string, opts engine.UntagOptions) error {
	store, err := e.rt.Images()
	if err != nil {
		return err
	}
	return store.Untag(ctx, name, opts.Names)
}

func (e *images) History(ctx context.Context, name string) ([]engine.ImageHistory, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.History(ctx, name)
}

// quiet drops progress when the caller asked for silence; containers/image
// treats a nil writer as "say nothing".
func quiet(q bool, w io.Writer) io.Writer {
	if q {
		return nil
	}
	return w
}

// Commit makes an image of the container's changes; with opts.Pause a
// running container is frozen while its layer is read (see
// libpod.Runtime.WhilePaused).
func (e *images) Commit(ctx context.Context, container string, opts engine.CommitOptions) (*engine.CommitReport, error) {
	c, err := e.rt.Lookup(ctx, container)
	if err != nil {
		return nil, err
	}
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	if !opts.Pause {
		return commit(ctx, store, c, opts)
	}
	var rep *engine.CommitReport
	err = e.rt.WhilePaused(ctx, c, func() error {
		rep, err = commit(ctx, store, c, opts)
		return err
	})
	return rep, err
}

func commit(ctx context.Context, store *image.Store, c *libpod.Container, opts engine.CommitOptions) (*engine.CommitReport, error) {
	spec := c.Config.Spec
	id, err := store.Commit(ctx, image.CommitOptions{
		Container: c.ID,
		Reference: opts.Reference,
		Config: &ociv1.ImageConfig{
			Cmd: spec.Command, Entrypoint: spec.Entrypoint, Env: spec.Env,
			WorkingDir: spec.WorkDir, User: spec.User, Labels: spec.Labels,
		},
		Changes: opts.Changes,
		Message: opts.Message,
		Author:  opts.Author,
	})
	if err != nil {
		return nil, fmt.Errorf("committing container %s: %w", c.Name, err)
	}
	return &engine.CommitReport{ID: id}, nil
}

func (e *images) Export(ctx context.Context, container string, out io.Writer) error {
	c, err := e.rt.Lookup(ctx, container)
	if err != nil {
		return err
	}
	store, err := e.rt.Images()
	if err != nil {
		return err
	}
	return store.Export(ctx, c.ID, out)
}

func (e *images) Prune(ctx context.Context, opts engine.ImagePruneOptions) (*engine.ImagePruneReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.Prune(ctx, opts)
}

func (e *images) Search(ctx context.Context, opts engine.SearchOptions) ([]engine.SearchResult, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.Search(ctx, opts)
}

func (e *images) ManifestCreate(ctx context.Context, name string, opts engine.ManifestAddOptions) (string, error) {
	store, err := e.rt.Images()
	if err != nil {
		return "", err
	}
	return store.ManifestCreate(ctx, name, opts)
}

func (e *images) ManifestAdd(ctx context.Context, list string, opts engine.ManifestAddOptions) (string, error) {
	store, err := e.rt.Images()
	if err != nil {
		return "", err
	}
	return store.ManifestAdd(ctx, list, opts)
}

func (e *images) ManifestInspect(ctx context.Context, list string) (json.RawMessage, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.ManifestInspect(ctx, list)
}

func (e *images) ManifestPush(ctx context.Context, list string, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.ManifestPush(ctx, list, opts, quiet(opts.Quiet, progress))
}

func (e *images) ManifestRemove(ctx context.Context, lists []string) ([]engine.ImageRemoveReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.ManifestRemove(ctx, lists)
}

// Diff resolves name as a container first (by name or ID), then as an image.
func (e *images) Diff(ctx context.Context, name string) ([]engine.Change, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	if c, err := e.rt.Lookup(ctx, name); err == nil {
		return store.Diff(ctx, c.ID)
	}
	return store.Diff(ctx, name)
}
