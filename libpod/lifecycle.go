package libpod

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"syscall"
	"time"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// defaultStopTimeout is Docker's: seconds between the stop signal and SIGKILL.
const defaultStopTimeout = 10

// Stop sends the stop signal, waits up to timeout seconds, then SIGKILL.
// A paused container is resumed after the signal so it can act on it.
// The lock is not held while waiting, so a slow stop never blocks others.
func (r *Runtime) Stop(ctx context.Context, c *Container, timeout *uint) error {
	if err := r.stop(ctx, c, timeout); err != nil {
		return err
	}
	return r.releaseNetwork(ctx, c)
}

// releaseNetwork tears down a stopped container's network at once, not
// waiting for conmon's exit command (which would, later, or never if
// conmon was killed): its published ports are free when stop returns.
func (r *Runtime) releaseNetwork(ctx context.Context, c *Container) error {
	if c.State.NetNS == "" {
		return nil
	}
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	if c.State.Status.Up() || c.State.NetNS == "" {
		return nil
	}
	r.teardownNetwork(context.WithoutCancel(ctx), c)
	return r.saveState(ctx, c)
}

func (r *Runtime) stop(ctx context.Context, c *Container, timeout *uint) error {
	if err := r.sync(ctx, c); err != nil {
		return err
	}
	if !c.State.Status.Up() {
		return fmt.Errorf("container %s: %w", c.Name, errdefs.ErrAlreadyStopped)
	}
	sig := syscall.SIGTERM
	if s := c.Config.Spec.StopSignal; s != "" {
		parsed, err := specgen.ParseSignal(s)
		if err != nil {
			return err
		}
		sig = parsed
	} else if s := c.Config.Image.StopSignal; s != "" {
		if parsed, err := specgen.ParseSignal(s); err == nil {
			sig = parsed
		}
	}
	t := uint(defaultStopTimeout)
	if c.Config.Spec.StopTimeout != nil {
		t = *c.Config.Spec.StopTimeout
	}
	if timeout != nil {
		t = *timeout
	}
	if t > 0 {
		rt, err := r.OCI(ctx)
		if err != nil {
			return err
		}
		if err := r.signal(ctx, rt, c, sig); err == nil {
			wctx, cancel := context.WithTimeout(ctx, time.Duration(t)*time.Second)
			code, finished, werr := oci.WaitExit(wctx, exitDir(r.cfg), c.ID, c.State.PID)
			cancel()
			if werr == nil {
				r.recordEvent(ctx, c, "stop", nil)
				return r.recordExit(ctx, c, code, finished)
			}
		}
	}
	if err := r.killAndWait(ctx, c, syscall.SIGKILL, 30*time.Second); err != nil {
		return err
	}
	r.recordEvent(ctx, c, "stop", nil)
	return nil
}

// Kill sends sig to a running container's main process; a paused one is
// resumed afterwards when sig should end it (see signal).
func (r *Runtime) Kill(ctx context.Context, c *Container, sig syscall.Signal) error {
	if err := r.sync(ctx, c); err != nil {
		return err
	}
	if !c.State.Status.Up() {
		return fmt.Errorf("container %s is not running: %w", c.ID, errdefs.ErrCtrNotRunning)
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	if err := r.signal(ctx, rt, c, sig); err != nil {
		return fmt.Errorf("sending signal %d to container %s: %w", sig, c.Name, err)
	}
	r.recordEvent(ctx, c, "kill", map[string]string{"signal": strconv.Itoa(int(sig))})
	return nil
}

// Wait blocks until the container meets condition and returns its exit code.
// Conditions are Docker's: not-running (default), next-exit, removed. A
// container removed while waited for (--rm, or another skiff) still yields
// its exit code: the "die" event in the log keeps it.
func (r *Runtime) Wait(ctx context.Context, c *Container, condition string) (int, error) {
	switch condition {
	case "", "not-running", "stopped", "exited":
		condition = "not-running"
	case "next-exit", "removed":
	default:
		return -1, fmt.Errorf("invalid wait condition %q: %w", condition, errdefs.ErrInvalidArg)
	}
	if err := r.sync(ctx, c); err != nil {
		if errors.Is(err, errdefs.ErrNoSuchContainer) {
			return r.exitCodeOfRemoved(ctx, c, condition)
		}
		return -1, err
	}
	startEpoch, wasRunning := c.State.Epoch, c.State.Status.Up()
	for {
		if c.State.Status.Up() {
			r.waitProcess(ctx, c)
		}
		if err := r.refresh(ctx, c); err != nil {
			if errors.Is(err, errdefs.ErrNoSuchContainer) {
				return r.exitCodeOfRemoved(ctx, c, condition)
			}
			return -1, err
		}
		running := c.State.Status.Up()
		switch {
		case condition == "not-running" && !running:
			return c.State.ExitCode, nil
		case condition == "next-exit" && !running && (wasRunning || c.State.Epoch > startEpoch):
			return c.State.ExitCode, nil
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitProcess blocks until the container's process has exited and conmon
// recorded it, or until the container disappears from the database: a
// remove deletes the exit file, which conmon's wait would otherwise miss.
func (r *Runtime) waitProcess(ctx context.Context, c *Container) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for {
			select {
			case <-wctx.Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := r.db.Container(wctx, c.ID); errors.Is(err, errdefs.ErrNoSuchContainer) {
				cancel()
				return
			}
		}
	}()
	oci.WaitExit(wctx, exitDir(r.cfg), c.ID, c.State.PID)
}

// exitCodeOfRemoved reads a removed container's exit code from its last
// "die" event. Without one, the container was removed before it ever
// exited: an error, unless the removal is what condition waited for.
func (r *Runtime) exitCodeOfRemoved(ctx context.Context, c *Container, condition string) (int, error) {
	evs, err := r.db.Events(ctx, state.EventFilter{IDs: []string{c.ID}, Actions: []string{"die"}})
	if err != nil {
		return -1, err
	}
	if len(evs) == 0 && condition == "removed" {
		// What was waited for happened; the container never ran (a
		// --rm container whose start failed is removed at once).
		return c.State.ExitCode, nil
	}
	if len(evs) == 0 {
		return -1, fmt.Errorf("container %s was removed before it exited: %w", c.ID, errdefs.ErrNoSuchContainer)
	}
	code, err := strconv.Atoi(evs[len(evs)-1].Attributes["exitCode"])
	if err != nil {
		return -1, fmt.Errorf("reading exit code of removed container %s: %w", c.ID, err)
	}
	return code, nil
}
