package libpod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"syscall"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Up reports whether the container's process exists: it is running or
// paused. Docker counts a paused container as running (State.Running is
// true, ps lists it, stop and kill apply to it).
func (s Status) Up() bool { return s == StatusRunning || s == StatusPaused }

// checkPause says whether a container in status st may be paused, in
// Docker's words when it may not.
func checkPause(id string, st Status) error {
	switch st {
	case StatusRunning:
		return nil
	case StatusPaused:
		return errdefs.As(errdefs.ErrCtrStateInvalid, fmt.Sprintf("container %s is already paused", id))
	}
	return errdefs.As(errdefs.ErrCtrNotRunning, fmt.Sprintf("container %s is not running", id))
}

// checkUnpause says whether a container in status st may be unpaused.
func checkUnpause(id string, st Status) error {
	if st == StatusPaused {
		return nil
	}
	return errdefs.As(errdefs.ErrCtrStateInvalid, fmt.Sprintf("container %s is not paused", id))
}

// errExecPaused is Docker's refusal to exec into (or attach to, with
// verb "attach") a paused container.
func errExecPaused(id, verb string) error {
	return errdefs.As(errdefs.ErrCtrStateInvalid, fmt.Sprintf("container %s is paused, unpause the container before %s", id, verb))
}

// Pause freezes every process of a running container. It holds the
// container's lock, like every state change.
func (r *Runtime) Pause(ctx context.Context, c *Container) error {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	return r.pause(ctx, c)
}

func (r *Runtime) pause(ctx context.Context, c *Container) error {
	if err := checkPause(c.ID, c.State.Status); err != nil {
		return err
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	if err := rt.Freezer(c.ID, oci.FreezerOptions{Rootless: r.cfg.Rootless}); err != nil {
		var nf *oci.NoFreezerError
		if errors.As(err, &nf) {
			// One line the user can act on; the class makes it a 501 on
			// the API: this engine cannot pause here, whatever the state.
			return errdefs.As(errdefs.ErrNotImplemented, fmt.Sprintf("cannot pause container %s: %s", c.Name, nf.Reason))
		}
		return err
	}
	if err := rt.PauseContainer(ctx, c.ID); err != nil {
		return fmt.Errorf("pausing container %s: %w", c.Name, err)
	}
	if err := r.setStatus(ctx, c, StatusRunning, StatusPaused); err != nil {
		return err
	}
	r.recordEvent(ctx, c, "pause", nil)
	return nil
}

// Unpause thaws a paused container.
func (r *Runtime) Unpause(ctx context.Context, c *Container) error {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	if err := checkUnpause(c.ID, c.State.Status); err != nil {
		return err
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	if err := rt.ResumeContainer(ctx, c.ID); err != nil {
		return fmt.Errorf("unpausing container %s: %w", c.Name, err)
	}
	if err := r.setStatus(ctx, c, StatusPaused, StatusRunning); err != nil {
		return err
	}
	r.recordEvent(ctx, c, "unpause", nil)
	return nil
}

// WhilePaused runs fn with the container frozen, as commit --pause does: a
// running container is paused first and unpaused afterwards, also when fn
// fails; one that is already paused stays paused; one that is not running
// has nothing to freeze and is left alone. Where the container cannot be
// paused (no freezer) fn does not run and the refusal is returned.
func (r *Runtime) WhilePaused(ctx context.Context, c *Container, fn func() error) error {
	paused, err := r.pauseIfRunning(ctx, c)
	if err != nil {
		return err
	}
	ferr := fn()
	if paused {
		err := r.Unpause(context.WithoutCancel(ctx), c)
		switch {
		case err == nil:
		case errors.Is(err, errdefs.ErrCtrStateInvalid), errors.Is(err, errdefs.ErrNoSuchContainer):
			// Unpaused, killed or removed by someone else meanwhile.
			logrus.Debugf("unpausing %s after commit: %v", c.ID, err)
		default:
			logrus.Warnf("container %s stays paused: %v", c.Name, err)
		}
	}
	return ferr
}

// pauseIfRunning pauses c when it is running and reports whether it did.
func (r *Runtime) pauseIfRunning(ctx context.Context, c *Container) (bool, error) {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return false, err
	}
	defer unlock()
	if c.State.Status != StatusRunning {
		return false, nil
	}
	return true, r.pause(ctx, c)
}

// setStatus moves c from one status to another in one transaction that
// first checks the status is still from: an exit recorded meanwhile (conmon's
// cleanup does not take the container lock) is never overwritten.
func (r *Runtime) setStatus(ctx context.Context, c *Container, from, to Status) error {
	return r.db.ModifyContainerState(context.WithoutCancel(ctx), c.ID, func(raw json.RawMessage) (json.RawMessage, error) {
		var st ContainerState
		if err := json.Unmarshal(raw, &st); err != nil {
			return nil, err
		}
		if st.Status != from {
			c.State = st
			return raw, nil
		}
		st.Status = to
		c.State = st
		return json.Marshal(st)
	})
}

// signal sends sig to the container's main process. A paused container is
// then resumed, so that the signal is delivered, when sig is one that should
// end it, as Docker does: SIGKILL, the container's stop signal, or any
// signal when it has none of its own. Otherwise it stays paused and the
// signal waits for the unpause.
func (r *Runtime) signal(ctx context.Context, rt *oci.Runtime, c *Container, sig syscall.Signal) error {
	if err := rt.KillContainer(ctx, c.ID, sig, false); err != nil {
		return err
	}
	if c.State.Status != StatusPaused || !endsContainer(c, sig) {
		return nil
	}
	// runc thaws a frozen container itself for SIGKILL; then, or when the
	// container has died meanwhile, resuming fails harmlessly.
	if err := rt.ResumeContainer(context.WithoutCancel(ctx), c.ID); err != nil {
		logrus.Debugf("resuming %s after signal %d: %v", c.ID, sig, err)
	}
	return r.setStatus(ctx, c, StatusPaused, StatusRunning)
}

// endsContainer is Docker's rule for resuming a paused container after a
// signal: it is SIGKILL, or the container's own stop signal, or the
// container has no stop signal configured.
func endsContainer(c *Container, sig syscall.Signal) bool {
	if sig == syscall.SIGKILL || c.Config.Spec.StopSignal == "" && c.Config.Image.StopSignal == "" {
		return true
	}
	stop, err := c.Config.Spec.ResolveStopSignal(c.Config.Image)
	return err != nil || stop == sig
}
