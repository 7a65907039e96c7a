package image

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/containers/common/libimage"
	"github.com/containers/storage"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// List returns the local images in Docker's summary shape, and apart
// from them the images it could not read, each with the reason, so that
// one broken image neither hides the others nor goes unnoticed. Images
// that a filter cannot be evaluated on are left out by libimage, which
// logs them.
func (s *Store) List(ctx context.Context, opts engine.ImageListOptions) (*engine.ImageListReport, error) {
	s.recoverCommits()
	filters, err := s.libimageFilters(ctx, opts.Filters, listFilterKeys, nil)
	if err != nil {
		return nil, err
	}
	imgs, err := s.rt.ListImages(ctx, &libimage.ListImagesOptions{Filters: filters})
	if err != nil {
		return nil, fmt.Errorf("listing images: %w", err)
	}
	rep := &engine.ImageListReport{Images: make([]engine.ImageSummary, 0, len(imgs))}
	for _, img := range imgs {
		sum, err := s.summary(ctx, img)
		if errors.Is(err, storage.ErrImageUnknown) || errors.Is(err, storage.ErrLayerUnknown) {
			// Removed by another skiff since the list was read: it is
			// simply no longer there.
			continue
		}
		if err != nil {
			reason := s.diagnose(img.ID())
			if reason == "" {
				reason = err.Error()
			}
			rep.Broken = append(rep.Broken, engine.BrokenImage{ID: "sha256:" + img.ID(), Reason: reason})
			continue
		}
		if !opts.All && len(sum.RepoTags) == 0 && img.IsReadOnly() {
			continue
		}
		rep.Images = append(rep.Images, sum)
	}
	return rep, nil
}

func (s *Store) summary(ctx context.Context, img *libimage.Image) (engine.ImageSummary, error) {
	tags, err := img.RepoTags()
	if err != nil {
		return engine.ImageSummary{}, fmt.Errorf("reading tags of %s: %w", img.ID(), err)
	}
	digests, err := img.RepoDigests()
	if err != nil {
		return engine.ImageSummary{}, fmt.Errorf("reading digests of %s: %w", img.ID(), err)
	}
	size, err := img.Size()
	if err != nil {
		return engine.ImageSummary{}, fmt.Errorf("sizing %s: %w", img.ID(), err)
	}
	labels, err := img.Labels(ctx)
	if err != nil {
		return engine.ImageSummary{}, fmt.Errorf("reading labels of %s: %w", img.ID(), err)
	}
	ctrs, err := img.Containers()
	if err != nil {
		return engine.ImageSummary{}, fmt.Errorf("reading containers of %s: %w", img.ID(), err)
	}
	if tags == nil {
		tags = []string{}
	}
	if digests == nil {
		digests = []string{}
	}
	return engine.ImageSummary{
		ID:          "sha256:" + img.ID(),
		RepoTags:    tags,
		RepoDigests: digests,
		Created:     img.Created().Unix(),
		Size:        size,
		VirtualSize: size,
		Labels:      labels,
		Containers:  len(ctrs),
	}, nil
}

// Remove untags and deletes images. An image used by a container is refused
// unless force is set, in which case inUse decides nothing and storage
// removes it only after the caller removed the containers.
func (s *Store) Remove(ctx context.Context, names []string, opts engine.ImageRemoveOptions) ([]engine.ImageRemoveReport, error) {
	reports, errs := s.rt.RemoveImages(ctx, names, &libimage.RemoveImagesOptions{Force: opts.Force})
	out := make([]engine.ImageRemoveReport, 0, len(reports))
	for _, r := range reports {
		rep := engine.ImageRemoveReport{Untagged: r.Untagged}
		if r.Removed {
			rep.Deleted = "sha256:" + r.ID
		}
		out = append(out, rep)
	}
	if len(errs) > 0 {
		return out, removeError(errs[0])
	}
	return out, nil
}

func removeError(err error) error {
	switch {
	case errors.Is(err, storage.ErrImageUnknown):
		return fmt.Errorf("%v: %w", err, errdefs.ErrNoSuchImage)
	case errors.Is(err, storage.ErrImageUsedByContainer):
		return fmt.Errorf("%v: %w", strings.TrimSuffix(err.Error(), ": "+storage.ErrImageUsedByContainer.Error()), errdefs.ErrImageInUse)
	case referenceError(err) != nil:
		return fmt.Errorf("%w: %w", err, errdefs.ErrInvalidArg)
	}
	return err
}

// Inspect describes images in Docker's shape.
func (s *Store) Inspect(ctx context.Context, name string) (*engine.InspectImage, error) {
	if err := s.checkBroken(name); err != nil {
		return nil, err
	}
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return nil, lookupError(name, err)
	}
	data, err := img.Inspect(ctx, &libimage.InspectOptions{WithSize: true})
	if err != nil {
		return nil, s.explain(img.ID(), fmt.Errorf("inspecting image %s: %w", name, err))
	}
	out := &engine.InspectImage{
		ID:           "sha256:" + data.ID,
		RepoTags:     nonNil(data.RepoTags),
		RepoDigests:  nonNil(data.RepoDigests),
		Parent:       data.Parent,
		Comment:      data.Comment,
		Author:       data.Author,
		Architecture: data.Architecture,
		Os:           data.Os,
		Size:         data.Size,
		RootFS:       engine.RootFS{Type: "layers"},
	}
	if data.Created != nil {
		out.Created = *data.Created
	}
	if data.Config != nil {
		c := data.Config
		out.Config = engine.ContainerConfig{
			User: c.User, Env: c.Env, Cmd: c.Cmd, Entrypoint: c.Entrypoint,
			WorkingDir: c.WorkingDir, Labels: c.Labels, StopSignal: c.StopSignal,
		}
	}
	if data.GraphDriver != nil {
		out.GraphDriver = engine.GraphDriver{Name: data.GraphDriver.Name, Data: data.GraphDriver.Data}
	}
	if data.RootFS != nil {
		for _, l := range data.RootFS.Layers {
			out.RootFS.Layers = append(out.RootFS.Layers, l.String())
		}
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
