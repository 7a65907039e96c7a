package local

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

type volumeEngine struct {
	rt *libpod.Runtime
}

func (e *volumeEngine) Create(ctx context.Context, opts engine.VolumeCreateOptions) (*engine.VolumeReport, error) {
	v, err := e.rt.VolumeCreate(ctx, libpod.VolumeCreateOptions{
		Name: opts.Name, Driver: opts.Driver, Labels: opts.Labels, Options: opts.Options, IgnoreIfExists: opts.IgnoreIfExists,
	})
	if err != nil {
		return nil, err
	}
	rep := toVolumeReport(v)
	return &rep, nil
}

func (e *volumeEngine) List(ctx context.Context, opts engine.VolumeListOptions) ([]engine.VolumeReport, error) {
	list, err := e.rt.VolumeList(ctx, opts.Filters)
	if err != nil {
		return nil, err
	}
	out := make([]engine.VolumeReport, 0, len(list))
	for i := range list {
		out = append(out, toVolumeReport(&list[i]))
	}
	return out, nil
}

func (e *volumeEngine) Inspect(ctx context.Context, names []string) ([]engine.VolumeReport, error) {
	out := make([]engine.VolumeReport, 0, len(names))
	var errs []error
	for _, name := range names {
		v, err := e.rt.VolumeInspect(ctx, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, toVolumeReport(v))
	}
	return out, errors.Join(errs...)
}

func (e *volumeEngine) Remove(ctx context.Context, names []string, opts engine.VolumeRemoveOptions) ([]engine.ActionReport, error) {
	out := make([]engine.ActionReport, 0, len(names))
	for _, name := range names {
		err := e.rt.VolumeRemove(ctx, name, libpod.VolumeRemoveOptions{Force: opts.Force, Timeout: opts.Timeout})
		out = append(out, engine.ActionReport{ID: name, RawInput: name, Err: err})
	}
	return out, nil
}

func (e *volumeEngine) Prune(ctx context.Context, opts engine.VolumePruneOptions) (*engine.VolumePruneReport, error) {
	pruned, err := e.rt.VolumePrune(ctx, opts.Filters, opts.All)
	rep := &engine.VolumePruneReport{VolumesDeleted: []string{}}
	for _, p := range pruned {
		rep.VolumesDeleted = append(rep.VolumesDeleted, p.Name)
		rep.SpaceReclaimed += p.Size
	}
	return rep, err
}

func (e *volumeEngine) Exists(ctx context.Context, name string) (bool, error) {
	return e.rt.VolumeExists(ctx, name)
}

func (e *volumeEngine) Export(ctx context.Context, name string, out io.Writer) error {
	return e.rt.VolumeExport(ctx, name, out)
}

func (e *volumeEngine) Import(ctx context.Context, name string, in io.Reader) error {
	return e.rt.VolumeImport(ctx, name, in)
}

// toVolumeReport is a volume in Docker's shape.
func toVolumeReport(v *libpod.Volume) engine.VolumeReport {
	return engine.VolumeReport{
		Name: v.Name, Driver: v.Driver, Mountpoint: v.Mountpoint,
		CreatedAt: v.Created.Format(time.RFC3339), Scope: libpod.VolumeScope,
		Labels: nonNilMap(v.Labels), Options: nonNilMap(v.Options),
	}
}
