package local

import (
	"context"
	"errors"
	"syscall"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/logs"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

type containers struct {
	rt *libpod.Runtime
}

func (e *containers) Create(ctx context.Context, opts engine.CreateOptions) (*engine.CreateReport, error) {
	c, err := e.rt.CreateContainer(ctx, opts.Spec)
	if err != nil {
		return nil, err
	}
	return &engine.CreateReport{ID: c.ID, Warnings: []string{}}, nil
}

// each resolves names (or every container with all) and applies fn to each,
// collecting per-container results the way Docker's bulk commands report.
func (e *containers) each(ctx context.Context, names []string, all bool, fn func(*libpod.Container) error) ([]engine.ActionReport, error) {
	return e.eachIn(ctx, names, all, "", fn)
}

// eachIn is each where all selects only the containers in status only
// (every container when only is empty).
func (e *containers) eachIn(ctx context.Context, names []string, all bool, only libpod.Status, fn func(*libpod.Container) error) ([]engine.ActionReport, error) {
	var targets []*libpod.Container
	var reports []engine.ActionReport
	if all {
		list, err := e.rt.Containers(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if only == "" || c.State.Status == only {
				targets = append(targets, c)
			}
		}
	} else {
		for _, n := range names {
			c, err := e.rt.Lookup(ctx, n)
			if err != nil {
				reports = append(reports, report(n, "", err))
				continue
			}
			targets = append(targets, c)
		}
	}
	for _, c := range targets {
		raw := c.Name
		for _, n := range names {
			if n != "" && (n == c.Name || len(n) <= len(c.ID) && c.ID[:len(n)] == n) {
				raw = n
			}
		}
		reports = append(reports, report(raw, c.ID, fn(c)))
	}
	return reports, nil
}

func report(raw, id string, err error) engine.ActionReport {
	r := engine.ActionReport{ID: id, RawInput: raw, Err: err}
	if err != nil {
		r.ErrMessage = err.Error()
	}
	return r
}

func (e *containers) Start(ctx context.Context, names []string, opts engine.StartOptions) ([]engine.ActionReport, error) {
	if opts.Attach {
		if len(names) != 1 {
			return nil, errors.New("you cannot start and attach multiple containers at once")
		}
		c, err := e.rt.Lookup(ctx, names[0])
		if err != nil {
			return nil, err
		}
		code, _, err := e.startAttached(ctx, c, opts.Interactive, opts.DetachKeys, opts.InitialSize, opts.Streams)
		if err != nil {
			e.removeAfterFailure(ctx, c)
			return nil, err
		}
		if code != 0 {
			return []engine.ActionReport{report(names[0], c.ID, nil)}, &errdefs.ExitError{Code: code}
		}
		return []engine.ActionReport{report(names[0], c.ID, nil)}, nil
	}
	return e.each(ctx, names, false, func(c *libpod.Container) error {
		_, err := e.rt.Start(ctx, c, libpod.StartOptions{})
		if errors.Is(err, errdefs.ErrAlreadyStarted) {
			return nil
		}
		if err != nil {
			e.removeAfterFailure(ctx, c)
		}
		return err
	})
}

func (e *containers) Stop(ctx context.Context, names []string, opts engine.StopOptions) ([]engine.ActionReport, error) {
	return e.each(ctx, names, opts.All, func(c *libpod.Container) error {
		err := e.rt.Stop(ctx, c, opts.Timeout)
		if errors.Is(err, errdefs.ErrAlreadyStopped) {
			return nil
		}
		return err
	})
}

func (e *containers) Kill(ctx context.Context, names []string, opts engine.KillOptions) ([]engine.ActionReport, error) {
	sig := syscall.SIGKILL
	if opts.Signal != "" {
		s, err := specgen.ParseSignal(opts.Signal)
		if err != nil {
			return nil, err
		}
		sig = s
	}
	return e.each(ctx, names, opts.All, func(c *libpod.Container) error {
		return e.rt.Kill(ctx, c, sig)
	})
}

// Pause freezes containers; with All, every running one.
func (e *containers) Pause(ctx context.Context, names []string, opts engine.PauseOptions) ([]engine.ActionReport, error) {
	return e.eachIn(ctx, names, opts.All, libpod.StatusRunning, func(c *libpod.Container) error {
		return e.rt.Pause(ctx, c)
	})
}

// Unpause thaws containers; with All, every paused one.
func (e *containers) Unpause(ctx context.Context, names []string, opts engine.UnpauseOptions) ([]engine.ActionReport, error) {
	return e.eachIn(ctx, names, opts.All, libpod.StatusPaused, func(c *libpod.Container) error {
		return e.rt.Unpause(ctx, c)
	})
}

func (e *containers) Restart(ctx context.Context, names []string, opts engine.RestartOptions) ([]engine.ActionReport, error) {
	return e.each(ctx, names, opts.All, func(c *libpod.Container) error {
		if err := e.rt.Stop(ctx, c, opts.Timeout); err != nil && !errors.Is(err, errdefs.ErrAlreadyStopped) {
			return err
		}
		_, err := e.rt.Start(ctx, c, libpod.StartOptions{})
		return err
	})
}

func (e *containers) Remove(ctx context.Context, names []string, opts engine.RemoveOptions) ([]engine.ActionReport, error) {
	reports, err := e.each(ctx, names, opts.All, func(c *libpod.Container) error {
		return e.rt.Remove(ctx, c, libpod.RemoveOptions{Force: opts.Force, Timeout: opts.Timeout, Volumes: opts.Volumes})
	})
	if !opts.Ignore {
		return reports, err
	}
	kept := reports[:0]
	for _, r := range reports {
		if !errors.Is(r.Err, errdefs.ErrNoSuchContainer) {
			kept = append(kept, r)
		}
	}
	return kept, err
}

func (e *containers) List(ctx context.Context, opts engine.ListOptions) ([]engine.ListContainer, error) {
	limit := opts.Last
	if opts.Latest {
		limit = 1
	}
	list, err := e.rt.List(ctx, libpod.ListOptions{All: opts.All, Limit: limit, Filters: opts.Filters})
	if err != nil {
		return nil, err
	}
	out := make([]engine.ListContainer, 0, len(list))
	for _, c := range list {
		out = append(out, toListContainer(e.rt, c, opts.Size))
	}
	return out, nil
}

func (e *containers) Logs(ctx context.Context, name string, opts engine.LogsOptions) error {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return err
	}
	return e.rt.Logs(ctx, c, logs.Options{Follow: opts.Follow, Tail: opts.Tail, Since: opts.Since, Until: opts.Until},
		func(l logs.Line) error {
			w := opts.Streams.Stdout
			if l.Stream == "stderr" && opts.Streams.Stderr != nil {
				w = opts.Streams.Stderr
			}
			_, err := w.Write([]byte(logs.FormatLine(l, opts.Timestamps)))
			return err
		})
}

func (e *containers) Wait(ctx context.Context, names []string, opts engine.WaitOptions) ([]engine.WaitReport, error) {
	var out []engine.WaitReport
	for _, n := range names {
		c, err := e.rt.Lookup(ctx, n)
		if err != nil {
			out = append(out, engine.WaitReport{RawInput: n, ExitCode: -1, Err: err})
			continue
		}
		code, err := e.rt.Wait(ctx, c, opts.Condition)
		out = append(out, engine.WaitReport{ID: c.ID, RawInput: n, ExitCode: code, Err: err})
	}
	return out, nil
}

func (e *containers) Exists(ctx context.Context, name string) (bool, error) {
	_, err := e.rt.Lookup(ctx, name)
	if errors.Is(err, errdefs.ErrNoSuchContainer) {
		return false, nil
	}
	return err == nil, err
}

func (e *containers) Cleanup(ctx context.Context, id string, opts engine.CleanupOptions) error {
	return e.rt.Cleanup(ctx, id, opts.Remove)
}

func (e *containers) Inspect(ctx context.Context, names []string, opts engine.InspectOptions) ([]engine.InspectContainer, error) {
	var out []engine.InspectContainer
	for _, n := range names {
		c, err := e.rt.Lookup(ctx, n)
		if err != nil {
			return out, err
		}
		out = append(out, toInspect(e.rt, c))
	}
	return out, nil
}
