package libpod

import (
	"context"
	"errors"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/image"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// resolveImage finds the image of a new container, pulling it as the pull
// policy says. With missing (the default) or never, an image already in
// the store is used without contacting any registry, so the common case
// costs one lookup. Pull progress goes to image.ProgressFrom(ctx).
func (r *Runtime) resolveImage(ctx context.Context, images *image.Store, spec specgen.SpecGenerator) (*image.Image, error) {
	policy := spec.Pull
	if policy == "" {
		policy = specgen.PullMissing
	}
	if policy == specgen.PullMissing || policy == specgen.PullNever {
		img, err := images.Lookup(ctx, spec.Image)
		if err == nil || policy == specgen.PullNever || !errors.Is(err, errdefs.ErrNoSuchImage) {
			return img, err
		}
	}
	logrus.Debugf("pull policy %s: pulling %s", policy, spec.Image)
	if _, err := images.Pull(ctx, engine.PullOptions{Reference: spec.Image, Policy: policy}, image.ProgressFrom(ctx)); err != nil {
		return nil, err
	}
	return images.Lookup(ctx, spec.Image)
}
