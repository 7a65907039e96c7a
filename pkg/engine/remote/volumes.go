package remote

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

type volumes struct {
	c *client.Client
}

func (e *volumes) Create(ctx context.Context, opts engine.VolumeCreateOptions) (*engine.VolumeReport, error) {
	var out engine.VolumeReport
	if err := e.c.Do(ctx, http.MethodPost, "/volumes/create", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *volumes) List(ctx context.Context, opts engine.VolumeListOptions) ([]engine.VolumeReport, error) {
	var out []engine.VolumeReport
	err := e.c.Do(ctx, http.MethodPost, "/volumes/list", opts, &out)
	return out, err
}

// Inspect returns what was found along with the error for what was not,
// as the local engine does.
func (e *volumes) Inspect(ctx context.Context, names []string) ([]engine.VolumeReport, error) {
	var out []engine.VolumeReport
	err := e.c.Do(ctx, http.MethodPost, "/volumes/inspect", bulk(names, struct{}{}), &out)
	return out, err
}

func (e *volumes) Remove(ctx context.Context, names []string, opts engine.VolumeRemoveOptions) ([]engine.ActionReport, error) {
	var out []wire.ActionReport
	err := e.c.Do(ctx, http.MethodPost, "/volumes/remove", bulk(names, opts), &out)
	return wire.ToActionReports(out), err
}

func (e *volumes) Prune(ctx context.Context, opts engine.VolumePruneOptions) (*engine.VolumePruneReport, error) {
	var out engine.VolumePruneReport
	if err := e.c.Do(ctx, http.MethodPost, "/volumes/prune", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *volumes) Exists(ctx context.Context, name string) (bool, error) {
	var out wire.Exists
	err := e.c.Do(ctx, http.MethodGet, "/volumes/exists?name="+url.QueryEscape(name), nil, &out)
	return out.Exists, err
}

func (e *volumes) Export(ctx context.Context, name string, out io.Writer) error {
	return e.c.Stream(ctx, "/volumes/export", wire.Named[struct{}]{Name: name}, client.StreamOptions{Streams: engine.Streams{Stdout: out}}, nil)
}

func (e *volumes) Import(ctx context.Context, name string, in io.Reader) error {
	return e.c.Upload(ctx, "/volumes/import", wire.Named[struct{}]{Name: name}, in, nil)
}
