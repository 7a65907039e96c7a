package libpod

import (
	"context"
	"fmt"
	"strings"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"

	"github.com/skiffcontainers/skiff/libpod/logs"
)

// Logs reads the container's k8s-file log; when following, it stops once
// the container is no longer running and the log is drained.
func (r *Runtime) Logs(ctx context.Context, c *Container, opts logs.Options, emit func(logs.Line) error) error {
	done := func() bool {
		if err := r.refresh(ctx, c); err != nil {
			return true
		}
		return !c.State.Status.Up()
	}
	return logs.Read(ctx, r.logPath(c.ID), opts, done, emit)
}

// LogPath is where conmon writes the container's output.
func (r *Runtime) LogPath(c *Container) string { return r.logPath(c.ID) }

// BundleDir is the directory holding the container's OCI bundle.
func (r *Runtime) BundleDir(c *Container) string { return r.bundleDir(c.ID) }

// Rename gives the container a new name.
func (r *Runtime) Rename(ctx context.Context, c *Container, name string) error {
	name = strings.TrimPrefix(name, "/")
	check := specgen.SpecGenerator{Name: name, Image: "x"}
	if err := check.ValidateName(); err != nil {
		return err
	}
	if err := r.db.RenameContainer(ctx, c.ID, name); err != nil {
		return err
	}
	old := c.Name
	c.Name = name
	r.recordEvent(ctx, c, "rename", map[string]string{"oldName": "/" + old})
	return nil
}

// ResizeTerminal resizes a running container's terminal.
func (r *Runtime) ResizeTerminal(ctx context.Context, c *Container, size oci.TerminalSize) error {
	if err := r.sync(ctx, c); err != nil {
		return err
	}
	if !c.State.Status.Up() {
		return fmt.Errorf("container %s is not running: %w", c.ID, errdefs.ErrCtrNotRunning)
	}
	if !c.Config.Spec.Terminal {
		return nil
	}
	return oci.ResizeTerminal(r.bundleDir(c.ID), size.Height, size.Width)
}
