package local

import (
	"context"
	"errors"
	"syscall"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

const defaultDetachKeys = "ctrl-p,ctrl-q"

func (e *containers) Run(ctx context.Context, opts engine.RunOptions) (*engine.RunReport, error) {
	c, err := e.rt.CreateContainer(ctx, opts.Spec)
	if err != nil {
		return nil, err
	}
	if opts.Detach {
		if _, err := e.rt.Start(ctx, c, libpod.StartOptions{}); err != nil {
			e.removeAfterFailure(ctx, c)
			return nil, err
		}
		return &engine.RunReport{ID: c.ID}, nil
	}
	code, detached, err := e.startAttached(ctx, c, opts.Spec.Stdin, opts.DetachKeys, opts.InitialSize, opts.Streams)
	if err != nil {
		e.removeAfterFailure(ctx, c)
		return nil, err
	}
	if detached {
		return &engine.RunReport{ID: c.ID, Detached: true}, nil
	}
	logrus.Debugf("container %s exited with %d", c.ID, code)
	if opts.Spec.Remove {
		defer logrus.Debugf("removed %s", c.ID)
		if err := e.rt.Remove(context.WithoutCancel(ctx), c, libpod.RemoveOptions{Force: true, Volumes: true}); err != nil && !errors.Is(err, errdefs.ErrNoSuchContainer) {
			return &engine.RunReport{ID: c.ID, ExitCode: code}, err
		}
	}
	return &engine.RunReport{ID: c.ID, ExitCode: code}, nil
}

// removeAfterFailure removes a --rm container whose start failed, as
// Docker does; other containers stay, in the created state, for inspection.
func (e *containers) removeAfterFailure(ctx context.Context, c *libpod.Container) {
	if !c.Config.Spec.Remove {
		return
	}
	if err := e.rt.Remove(context.WithoutCancel(ctx), c, libpod.RemoveOptions{Force: true, Volumes: true}); err != nil {
		logrus.Debugf("removing failed container %s: %v", c.ID, err)
	}
}

// startAttached starts c with the caller's streams attached and returns its
// exit code once it exits, or detached=true when the user detached.
func (e *containers) startAttached(ctx context.Context, c *libpod.Container, interactive bool, keys *string, size *engine.TerminalSize, streams engine.Streams) (int, bool, error) {
	detachKeys, err := parseDetachKeys(keys)
	if err != nil {
		return -1, false, err
	}
	conn, err := e.rt.Start(ctx, c, libpod.StartOptions{Attach: true, InitialSize: ociSize(size)})
	if err != nil {
		return -1, false, err
	}
	if streams.Signals != nil {
		stop := e.proxySignals(ctx, c, streams.Signals)
		defer stop()
	}
	as := oci.AttachStreams{Stdout: streams.Stdout, Stderr: streams.Stderr, DetachKeys: detachKeys}
	if interactive {
		as.Stdin = streams.Stdin
	}
	err = e.rt.CopyAttach(ctx, c, conn, as, ociResize(ctx, streams.Resize))
	if errors.Is(err, errdefs.ErrDetached) {
		return 0, true, nil
	}
	if err != nil {
		logrus.Debugf("attach to %s ended: %v", c.ID, err)
	}
	code, err := e.rt.Wait(ctx, c, "not-running")
	return code, false, err
}

// proxySignals forwards the signals the caller hands over to the
// container's process, as Docker's --sig-proxy does for attached runs. The
// caller decides which signals: the engine never listens to its own, which
// in the API service belong to the service.
func (e *containers) proxySignals(ctx context.Context, c *libpod.Container, signals <-chan syscall.Signal) func() {
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s, ok := <-signals:
				if !ok {
					return
				}
				if err := e.rt.Kill(ctx, c, s); err != nil {
					logrus.Debugf("forwarding %v to %s: %v", s, c.ID, err)
				}
			}
		}
	}()
	return func() { close(done) }
}

func parseDetachKeys(keys *string) ([]byte, error) {
	k := defaultDetachKeys
	if keys != nil {
		k = *keys
	}
	b, err := oci.ParseDetachKeys(k)
	if err != nil {
		return nil, errors.Join(err, errdefs.ErrInvalidArg)
	}
	return b, nil
}

func ociSize(s *engine.TerminalSize) *oci.TerminalSize {
	if s == nil {
		return nil
	}
	return &oci.TerminalSize{Height: s.Height, Width: s.Width}
}

// ociResize adapts the engine's resize channel to the OCI layer's type.
func ociResize(ctx context.Context, in <-chan engine.TerminalSize) <-chan oci.TerminalSize {
	if in == nil {
		return nil
	}
	out := make(chan oci.TerminalSize)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case s, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- oci.TerminalSize{Height: s.Height, Width: s.Width}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

func (e *containers) Attach(ctx context.Context, name string, opts engine.AttachOptions) error {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return err
	}
	keys, err := parseDetachKeys(opts.DetachKeys)
	if err != nil {
		return err
	}
	as := oci.AttachStreams{Stdout: opts.Streams.Stdout, Stderr: opts.Streams.Stderr, DetachKeys: keys}
	if !opts.NoStdin && c.Config.Spec.Stdin {
		as.Stdin = opts.Streams.Stdin
	}
	err = e.rt.Attach(ctx, c, as, ociResize(ctx, opts.Streams.Resize), opts.Ready)
	if errors.Is(err, errdefs.ErrDetached) {
		return nil
	}
	if err != nil {
		return err
	}
	code, err := e.rt.Wait(ctx, c, "not-running")
	if err == nil && code != 0 {
		return &errdefs.ExitError{Code: code}
	}
	return err
}

func (e *containers) Exec(ctx context.Context, name string, opts engine.ExecOptions) (*engine.ExecReport, error) {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return nil, err
	}
	keys, err := parseDetachKeys(opts.DetachKeys)
	if err != nil {
		return nil, err
	}
	code, pid, err := e.rt.Exec(ctx, c, libpod.ExecConfig{
		Cmd: opts.Cmd, Env: opts.Env, User: opts.User, WorkDir: opts.WorkDir,
		Tty: opts.Tty, Interactive: opts.Interactive, Detach: opts.Detach,
		Streams:     oci.AttachStreams{Stdin: opts.Streams.Stdin, Stdout: opts.Streams.Stdout, Stderr: opts.Streams.Stderr, DetachKeys: keys},
		Resize:      ociResize(ctx, opts.Streams.Resize),
		InitialSize: ociSize(opts.InitialSize),
	})
	if err != nil {
		return nil, err
	}
	if opts.Detach {
		code = 0
	}
	return &engine.ExecReport{ExitCode: code, Pid: pid}, nil
}
