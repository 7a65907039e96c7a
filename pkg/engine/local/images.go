package local

import (
	"context"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/image"
	"github.com/skiffcontainers/skiff/pkg/engine"
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

func (e *images) List(ctx context.Context, opts engine.ImageListOptions) ([]engine.ImageSummary, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.List(ctx, opts)
}

func (e *images) Remove(ctx context.Context, names []string, opts engine.ImageRemoveOptions) ([]engine.ImageRemoveReport, error) {
	store, err := e.rt.Images()
	if err != nil {
		return nil, err
	}
	return store.Remove(ctx, names, opts)
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
