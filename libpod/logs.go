package libpod

import (
	"context"

	"github.com/skiffcontainers/skiff/libpod/logs"
)

// Logs reads the container's k8s-file log; when following, it stops once
// the container is no longer running and the log is drained.
func (r *Runtime) Logs(ctx context.Context, c *Container, opts logs.Options, emit func(logs.Line) error) error {
	done := func() bool {
		if err := r.refresh(ctx, c); err != nil {
			return true
		}
		return c.State.Status != StatusRunning
	}
	return logs.Read(ctx, r.logPath(c.ID), opts, done, emit)
}

// LogPath is where conmon writes the container's output.
func (r *Runtime) LogPath(c *Container) string { return r.logPath(c.ID) }

// BundleDir is the directory holding the container's OCI bundle.
func (r *Runtime) BundleDir(c *Container) string { return r.bundleDir(c.ID) }

// Rename gives the container a new name.
func (r *Runtime) Rename(ctx context.Context, c *Container, name string) error {
	return r.db.RenameContainer(ctx, c.ID, name)
}
