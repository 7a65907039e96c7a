package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/containers/storage"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// cleanupRuntime removes what a stopped container holds: the OCI runtime's
// record and the rootfs mount. Every step tolerates "already gone", so it
// also finishes what a killed skiff left half done.
func (r *Runtime) cleanupRuntime(ctx context.Context, c *Container) error {
	return r.releaseRuntime(ctx, c, false)
}

// releaseRuntime does cleanupRuntime's work; thorough also catches what a
// skiff killed between a step and its state write left behind (a runtime
// container or a mount the database does not know of), at the cost of
// a stat of the runtime's state directory.
func (r *Runtime) releaseRuntime(ctx context.Context, c *Container, thorough bool) error {
	deleteRuntime := c.State.OCICreated || (thorough && r.runtimeHas(ctx, c.ID))
	unmount := c.State.Mountpoint != "" || thorough
	// The network goes when recorded, or (thorough) whenever the mode has
	// a namespace of its own: a crash may have left one unrecorded.
	netDown := c.State.NetNS != "" || (thorough && networkMode(c).OwnNetNS())
	if !deleteRuntime && !unmount && !netDown {
		return nil
	}
	// The process is gone (or about to be killed by the delete), and the
	// mount lives in our namespace, not the container's: the two steps are
	// independent, so they run side by side (a runtime call is a process).
	deleted := make(chan error, 1)
	if deleteRuntime {
		go func() { deleted <- r.deleteRuntime(ctx, c.ID) }()
	} else {
		deleted <- nil
	}
	var unmountErr error
	if unmount {
		unmountErr = r.unmount(c.ID)
	}
	if err := <-deleted; err != nil {
		return err
	}
	if unmountErr != nil {
		return unmountErr
	}
	if netDown {
		// After the runtime's delete: no process uses the namespace now.
		r.teardownNetwork(ctx, c)
	}
	c.State.OCICreated = false
	c.State.Mountpoint = ""
	if err := r.saveState(ctx, c); err != nil {
		return err
	}
	r.releaseVolumes(ctx, c)
	return nil
}

func (r *Runtime) deleteRuntime(ctx context.Context, id string) error {
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	if err := rt.DeleteContainer(ctx, id, true); err != nil {
		return fmt.Errorf("deleting runtime state of %s: %w", id, err)
	}
	return nil
}

func (r *Runtime) unmount(id string) error {
	store, err := r.Store()
	if err != nil {
		return err
	}
	_, err = store.Unmount(id, true)
	if err != nil && !errors.Is(err, storage.ErrContainerUnknown) && !errors.Is(err, storage.ErrLayerUnknown) && !errors.Is(err, storage.ErrNotAContainer) {
		return fmt.Errorf("unmounting rootfs of %s: %w", id, err)
	}
	return nil
}

// Cleanup is run by conmon's exit command after the container's process
// ended: it records the exit, releases the runtime state and the mount,
// and removes the container when it was run with --rm. conmon also runs
// it when the runtime failed to create the container; a --rm container
// that never started is left to whoever is starting it, who reports the
// runtime's error and then removes it (Docker's order for AutoRemove):
// removing it here would race that answer into "no such container".
func (r *Runtime) Cleanup(ctx context.Context, id string, remove bool) error {
	c, err := r.byID(ctx, id)
	if errors.Is(err, errdefs.ErrNoSuchContainer) {
		return nil
	}
	if err != nil {
		return err
	}
	unlock, err := r.lockContainer(c.ID)
	if err != nil {
		return err
	}
	defer unlock()
	if err := r.refresh(ctx, c); err != nil {
		if errors.Is(err, errdefs.ErrNoSuchContainer) {
			return nil
		}
		return err
	}
	if c.State.Status.Up() {
		return nil
	}
	if remove && !c.State.StartedAt.IsZero() {
		if err := r.remove(ctx, c, RemoveOptions{Force: true, Volumes: true}); err != nil && !errors.Is(err, errdefs.ErrNoSuchContainer) {
			return err
		}
		return nil
	}
	return r.cleanupRuntime(ctx, c)
}

// RemoveOptions say how to remove a container.
type RemoveOptions struct {
	Force bool
	// Timeout is the stop timeout before SIGKILL when forcing; nil kills at once.
	Timeout *uint
	// Volumes removes the container's anonymous volumes too (rm -v).
	Volumes bool
}

// Remove deletes a container with its storage, logs and runtime state.
func (r *Runtime) Remove(ctx context.Context, c *Container, opts RemoveOptions) error {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	return r.remove(ctx, c, opts)
}

// remove is Remove's work, with c locked and fresh.
func (r *Runtime) remove(ctx context.Context, c *Container, opts RemoveOptions) error {
	if c.State.Status.Up() {
		if !opts.Force {
			return fmt.Errorf("cannot remove container %s as it is %s: stop the container before removing it or use -f: %w", c.ID, c.State.Status, errdefs.ErrCtrRunning)
		}
		if err := r.killAndWait(ctx, c, syscall.SIGKILL, 10*time.Second); err != nil {
			return err
		}
	}
	ctx = context.WithoutCancel(ctx)
	c.State.Status = StatusRemoving
	if err := r.saveState(ctx, c); err != nil {
		return err
	}
	if err := r.releaseRuntime(ctx, c, true); err != nil {
		return err
	}
	logrus.Debugf("runtime state of %s cleaned up", c.ID)
	store, err := r.Store()
	if err != nil {
		return err
	}
	if err := store.DeleteContainer(c.ID); err != nil && !errors.Is(err, storage.ErrContainerUnknown) && !errors.Is(err, storage.ErrNotAContainer) {
		return fmt.Errorf("removing storage of %s: %w", c.ID, err)
	}
	logrus.Debugf("storage of %s deleted", c.ID)
	for _, p := range []string{r.bundleDir(c.ID), r.persistDir(c.ID), exitFilePath(exitDir(r.cfg), c.ID)} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("removing the container's files: %w", err)
		}
	}
	if err := r.db.RemoveContainer(ctx, c.ID); err != nil && !errors.Is(err, errdefs.ErrNoSuchContainer) {
		return err
	}
	r.configs.Delete(c.ID)
	r.recordEvent(ctx, c, "destroy", nil)
	if opts.Volumes {
		r.removeAnonymousVolumes(ctx, c)
	}
	r.removeLockFile(c.ID)
	return nil
}

// killAndWait signals the container (resuming it when paused) and waits
// until its exit is recorded.
func (r *Runtime) killAndWait(ctx context.Context, c *Container, sig syscall.Signal, timeout time.Duration) error {
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	if err := r.signal(ctx, rt, c, sig); err != nil && processAlive(c.State.PID) {
		// Not the runtime's "no such container" class: the container is
		// there, and callers that forgive a missing one (rm -f) must not
		// report it gone.
		return errdefs.As(errdefs.ErrCtrStateInvalid,
			fmt.Sprintf("container %s is running (pid %d) but the OCI runtime cannot signal it: %v", c.ID, c.State.PID, err))
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	code, finished, err := oci.WaitExit(wctx, exitDir(r.cfg), c.ID, c.State.PID)
	if err != nil {
		if processAlive(c.State.PID) {
			return fmt.Errorf("waiting for container %s to exit: %w", c.ID, err)
		}
		code, finished = 128+int(sig), time.Now()
	}
	return r.recordExit(ctx, c, code, finished)
}

// runtimeHas reports whether the OCI runtime keeps state for id; runc and
// crun both keep a directory per container under their --root.
func (r *Runtime) runtimeHas(ctx context.Context, id string) bool {
	rt, err := r.OCI(ctx)
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(rt.Root, id))
	return err == nil
}
