package libpod

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/filter"
)

// containerPruneKeys are the filters Docker's container prune accepts.
var containerPruneKeys = map[string]bool{"label": true, "label!": true, "until": true}

// PruneReport lists the containers a prune removed and the space their
// writable layers held.
type PruneReport struct {
	Deleted        []string
	SpaceReclaimed uint64
}

// Prune removes every container that is not running and matches filters,
// with Docker's semantics: until keeps containers created after it, every
// label filter must match, and a container matching every label! filter
// is kept. A container that cannot be removed is skipped, as Docker does.
func (r *Runtime) Prune(ctx context.Context, filters map[string][]string) (*PruneReport, error) {
	args := filter.Args(filters)
	if err := filter.Validate(args, containerPruneKeys); err != nil {
		return nil, err
	}
	until, err := filter.PruneUntil(args, time.Now())
	if err != nil {
		return nil, err
	}
	all, err := r.Containers(ctx)
	if err != nil {
		return nil, err
	}
	rep := &PruneReport{Deleted: []string{}}
	for _, c := range all {
		if c.State.Status.Up() || (!until.IsZero() && c.Created.After(until)) ||
			!filter.PruneLabels(args, c.Config.Spec.ResolveLabels(c.Config.Image)) {
			continue
		}
		rw, _ := r.Sizes(c)
		if err := r.Remove(ctx, c, RemoveOptions{}); err != nil {
			logrus.Warnf("failed to prune container %s: %v", c.ID, err)
			continue
		}
		rep.Deleted = append(rep.Deleted, c.ID)
		if rw > 0 {
			rep.SpaceReclaimed += uint64(rw)
		}
	}
	return rep, nil
}
