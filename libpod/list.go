package libpod

import (
	"context"
	"errors"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Containers returns every container, newest first, with running ones
// synced from their exit files. One query, one stat per running container:
// listing never calls the OCI runtime.
func (r *Runtime) Containers(ctx context.Context) ([]*Container, error) {
	recs, err := r.db.ListContainers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Container, 0, len(recs))
	for _, rec := range recs {
		c, err := r.decodeContainer(rec)
		if err != nil {
			return nil, err
		}
		if err := r.sync(ctx, c); err != nil {
			if errors.Is(err, errdefs.ErrNoSuchContainer) {
				continue // removed by another skiff since the query
			}
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Lookup resolves a full ID, a unique ID prefix or a name.
func (r *Runtime) Lookup(ctx context.Context, nameOrID string) (*Container, error) {
	c, err := r.lookup(ctx, nameOrID)
	if err != nil {
		return nil, err
	}
	if err := r.sync(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}
