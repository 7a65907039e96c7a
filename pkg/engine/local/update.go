package local

import (
	"context"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// Update changes a container's resource limits.
func (e *containers) Update(ctx context.Context, name string, opts engine.UpdateOptions) error {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return err
	}
	return e.rt.Update(ctx, c, opts.Resources)
}
