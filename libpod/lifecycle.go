package libpod

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// defaultStopTimeout is Docker's: seconds between the stop signal and SIGKILL.
const defaultStopTimeout = 10

// Stop sends the stop signal, waits up to timeout seconds, then SIGKILL.
// The lock is not held while waiting, so a slow stop never blocks others.
func (r *Runtime) Stop(ctx context.Context, c *Container, timeout *uint) error {
	if err := r.sync(ctx, c); err != nil {
		return err
	}
	if c.State.Status != StatusRunning {
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
		if err := rt.KillContainer(ctx, c.ID, sig, false); err == nil {
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

// Kill sends sig to a running container's main process.
func (r *Runtime) Kill(ctx context.Context, c *Container, sig syscall.Signal) error {
	if err := r.sync(ctx, c); err != nil {
		return err
	}
	if c.State.Status != StatusRunning {
		return fmt.Errorf("container %s is not running: %w", c.ID, errdefs.ErrCtrNotRunning)
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	if err := rt.KillContainer(ctx, c.ID, sig, false); err != nil {
		return fmt.Errorf("sending signal %d to container %s: %w", sig, c.Name, err)
	}
	r.recordEvent(ctx, c, "kill", map[string]string{"signal": itoa(int(sig))})
	return nil
}

// Wait blocks until the container meets condition and returns its exit code.
// Conditions are Docker's: not-running (default), next-exit, removed.
func (r *Runtime) Wait(ctx context.Context, c *Container, condition string) (int, error) {
	switch condition {
	case "", "not-running", "stopped", "exited":
		condition = "not-running"
	case "next-exit", "removed":
	default:
		return -1, fmt.Errorf("invalid wait condition %q: %w", condition, errdefs.ErrInvalidArg)
	}
	if err := r.sync(ctx, c); err != nil {
		return -1, err
	}
	startEpoch, wasRunning := c.State.Epoch, c.State.Status == StatusRunning
	code := c.State.ExitCode
	for {
		if c.State.Status == StatusRunning {
			if got, _, err := oci.WaitExit(ctx, exitDir(r.cfg), c.ID, c.State.PID); err == nil {
				code = got
			} else if ctx.Err() != nil {
				return -1, ctx.Err()
			}
		}
		if err := r.refresh(ctx, c); err != nil {
			if errors.Is(err, errdefs.ErrNoSuchContainer) && condition != "not-running" {
				return code, nil
			}
			return -1, err
		}
		running := c.State.Status == StatusRunning
		if !running {
			code = c.State.ExitCode
		}
		switch {
		case condition == "not-running" && !running:
			return code, nil
		case condition == "next-exit" && !running && (wasRunning || c.State.Epoch > startEpoch):
			return code, nil
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
