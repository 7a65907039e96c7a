package local

import (
	"context"
	"fmt"
	"strings"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/image"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

type images struct {
	rt *libpod.Runtime
}

func (e *images) Import(ctx context.Context, opts engine.ImportOptions) (*engine.ImportReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	id, err := store.Import(ctx, image.ImportOptions{
		Path: opts.Source, Reference: opts.Reference, Changes: opts.Changes, Message: opts.Message,
	})
	if err != nil {
		return nil, err
	}
	return &engine.ImportReport{ID: id}, nil
}

func (e *images) List(ctx context.Context, opts engine.ImageListOptions) (*engine.ImageListReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.List(ctx, opts)
}

// Remove removes images. An image a container uses is refused, naming the
// containers, unless Force is set; then those containers are removed first
// through libpod, as Podman does, so that no container is left without its
// storage.
func (e *images) Remove(ctx context.Context, names []string, opts engine.ImageRemoveOptions) ([]engine.ImageRemoveReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	if opts.All {
		list, err := store.List(ctx, engine.ImageListOptions{All: true})
		if err != nil {
			return nil, err
		}
		for _, img := range list.Images {
			names = append(names, strings.TrimPrefix(img.ID, "sha256:"))
		}
		for _, img := range list.Broken {
			names = append(names, strings.TrimPrefix(img.ID, "sha256:"))
		}
	}
	users, err := e.imageUsers(ctx, store, names)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		ctrs := users[name]
		if len(ctrs) == 0 {
			continue
		}
		if !opts.Force {
			return nil, fmt.Errorf("image %s is in use by container %s (remove it first, or use --force): %w",
				name, strings.Join(containerNames(ctrs), ", "), errdefs.ErrImageInUse)
		}
		for _, c := range ctrs {
			if err := e.rt.Remove(ctx, c, libpod.RemoveOptions{Force: true}); err != nil {
				return nil, fmt.Errorf("removing container %s that uses image %s: %w", c.Name, name, err)
			}
		}
	}
	return store.Remove(ctx, names, opts)
}

// imageUsers maps each name whose removal would delete a local image (an
// ID, or the image's last name) to the containers created from that image.
func (e *images) imageUsers(ctx context.Context, store *image.Store, names []string) (map[string][]*libpod.Container, error) {
	ids := map[string]string{}
	for _, n := range names {
		id, imgNames, err := store.Resolve(ctx, n)
		if err != nil {
			continue // the removal reports it
		}
		byID := strings.HasPrefix(id, strings.TrimPrefix(n, "sha256:"))
		if !byID && len(imgNames) > 1 {
			continue // only a name goes; the image stays
		}
		ids[n] = id
	}
	if len(ids) == 0 {
		return nil, nil
	}
	ctrs, err := e.rt.Containers(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]*libpod.Container{}
	for n, id := range ids {
		for _, c := range ctrs {
			if c.Config.ImageID == id {
				out[n] = append(out[n], c)
			}
		}
	}
	return out, nil
}

func containerNames(ctrs []*libpod.Container) []string {
	out := make([]string, 0, len(ctrs))
	for _, c := range ctrs {
		out = append(out, fmt.Sprintf("%s (%s)", c.Name, c.ID[:12]))
	}
	return out
}

func (e *images) Exists(ctx context.Context, name string) (bool, error) {
	store, err := e.rt.Images()
	if err != nil {
		return false, err
	}
	return store.Exists(ctx, name)
}

func (e *images) Inspect(ctx context.Context, names []string) ([]engine.InspectImage, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	var out []engine.InspectImage
	for _, n := range names {
		img, err := store.Inspect(ctx, n)
		if err != nil {
			return out, err
		}
		out = append(out, *img)
	}
	return out, nil
}
