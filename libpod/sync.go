package libpod

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/libpod/oci"
)

// refresh re-reads the container from the database and then syncs it.
func (r *Runtime) refresh(ctx context.Context, c *Container) error {
	fresh, err := r.byID(ctx, c.ID)
	if err != nil {
		return err
	}
	*c = *fresh
	return r.sync(ctx, c)
}

// sync brings a running (or paused) container's state up to date from
// conmon's exit file: one stat per running container, never a call to the
// OCI runtime.
func (r *Runtime) sync(ctx context.Context, c *Container) error {
	if c.State.Status == StatusCreated && c.State.OCICreated && c.State.PID > 0 {
		return r.syncCreated(ctx, c)
	}
	if !c.State.Status.Up() {
		return nil
	}
	code, finished, err := oci.ReadExitFile(exitDir(r.cfg), c.ID)
	switch {
	case err == nil:
		return r.recordExit(ctx, c, code, finished)
	case errors.Is(err, fs.ErrNotExist):
		if processAlive(c.State.PID) || processAlive(c.State.ConmonPID) {
			return nil
		}
		// Neither the container nor its monitor exists and no exit was
		// recorded: conmon was killed, or the host rebooted.
		code, finished, err = oci.ReadExitFile(r.persistDir(c.ID), "exit")
		if err != nil {
			code, finished = 137, time.Now()
			c.State.Error = "container monitor exited without recording an exit code"
		}
		return r.recordExit(ctx, c, code, finished)
	default:
		return err
	}
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	return unix.Kill(pid, 0) != unix.ESRCH
}

func exitFilePath(dir, id string) string { return filepath.Join(dir, id) }

// syncCreated catches a container whose runtime start succeeded but whose
// skiff was killed before it recorded that: the process has left the
// runtime's init (or has already exited).
func (r *Runtime) syncCreated(ctx context.Context, c *Container) error {
	if _, _, err := oci.ReadExitFile(exitDir(r.cfg), c.ID); err == nil {
		c.State.Status = StatusRunning
		return r.sync(ctx, c)
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", c.State.PID))
	if err != nil || strings.HasPrefix(string(comm), "runc:") || strings.HasPrefix(string(comm), "crun") {
		return nil
	}
	c.State.Status = StatusRunning
	c.State.StartedAt = time.Now()
	c.State.Epoch++
	return r.saveState(ctx, c)
}
