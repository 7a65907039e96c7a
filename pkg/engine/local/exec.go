package local

import (
	"context"
	"fmt"
	"time"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func (e *containers) ExecCreate(ctx context.Context, name string, opts engine.ExecOptions) (string, error) {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return "", err
	}
	keys := ""
	if opts.DetachKeys != nil {
		keys = *opts.DetachKeys
	}
	s, err := e.rt.CreateExec(ctx, c, libpod.ExecConfig{
		Cmd: opts.Cmd, Env: opts.Env, User: opts.User, WorkDir: opts.WorkDir,
		Tty: opts.Tty, Interactive: opts.Interactive, Privileged: opts.Privileged,
	}, keys)
	if err != nil {
		return "", err
	}
	return s.ID, nil
}

func (e *containers) ExecStart(ctx context.Context, execID string, opts engine.ExecStartOptions) (*engine.ExecReport, error) {
	s, err := e.rt.ExecSession(ctx, execID)
	if err != nil {
		return nil, err
	}
	var keys *string
	if s.DetachKeys != "" {
		keys = &s.DetachKeys
	}
	detachKeys, err := parseDetachKeys(keys)
	if err != nil {
		return nil, err
	}
	streams := oci.AttachStreams{Stdout: opts.Streams.Stdout, Stderr: opts.Streams.Stderr, DetachKeys: detachKeys}
	if s.Config.Interactive {
		streams.Stdin = opts.Streams.Stdin
	}
	code, err := e.rt.StartExec(ctx, s, streams, opts.Detach, ociSize(opts.InitialSize))
	if err != nil {
		return nil, err
	}
	return &engine.ExecReport{ExitCode: code, Pid: s.Pid}, nil
}

func (e *containers) ExecResize(ctx context.Context, execID string, size engine.TerminalSize) error {
	return e.rt.ResizeExec(ctx, execID, oci.TerminalSize{Height: size.Height, Width: size.Width})
}

func (e *containers) ExecInspect(ctx context.Context, execID string) (*engine.ExecInspect, error) {
	s, err := e.rt.ExecSession(ctx, execID)
	if err != nil {
		return nil, err
	}
	out := &engine.ExecInspect{
		ID: s.ID, Running: s.Running, ExitCode: s.ExitCode, ContainerID: s.ContainerID, Pid: s.Pid,
		OpenStdin: s.Config.Interactive, OpenStdout: true, OpenStderr: true, CanRemove: !s.Running,
		DetachKeys:    s.DetachKeys,
		ProcessConfig: engine.ExecProcessConfig{Tty: s.Config.Tty, User: s.Config.User, Privileged: s.Config.Privileged},
	}
	if len(s.Config.Cmd) > 0 {
		out.ProcessConfig.Entrypoint = s.Config.Cmd[0]
		out.ProcessConfig.Arguments = s.Config.Cmd[1:]
	}
	return out, nil
}

func (e *containers) Rename(ctx context.Context, name string, opts engine.RenameOptions) error {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return err
	}
	return e.rt.Rename(ctx, c, opts.NewName)
}

func (e *containers) Resize(ctx context.Context, name string, size engine.TerminalSize) error {
	c, err := e.rt.Lookup(ctx, name)
	if err != nil {
		return err
	}
	return e.rt.ResizeTerminal(ctx, c, oci.TerminalSize{Height: size.Height, Width: size.Width})
}

// Prune removes every container that is not running and matches the
// filters (Docker's label and until).
func (e *containers) Prune(ctx context.Context, opts engine.PruneOptions) (*engine.PruneReport, error) {
	filters := map[string][]string{}
	var until time.Time
	for k, v := range opts.Filters {
		if k == "until" {
			for _, u := range v {
				t, err := parseUntil(u)
				if err != nil {
					return nil, err
				}
				until = t
			}
			continue
		}
		filters[k] = v
	}
	filter, err := libpod.CompileFilter(filters)
	if err != nil {
		return nil, err
	}
	all, err := e.rt.Containers(ctx)
	if err != nil {
		return nil, err
	}
	rep := &engine.PruneReport{Deleted: []string{}}
	for _, c := range all {
		if c.State.Status.Up() || !filter.Match(c) || (!until.IsZero() && !c.Created.Before(until)) {
			continue
		}
		rw, _ := e.rt.Sizes(c)
		if err := e.rt.Remove(ctx, c, libpod.RemoveOptions{}); err != nil {
			continue
		}
		rep.Deleted = append(rep.Deleted, c.ID)
		rep.SpaceReclaimed += uint64(rw)
	}
	return rep, nil
}

func parseUntil(v string) (time.Time, error) {
	if d, err := time.ParseDuration(v); err == nil {
		return time.Now().Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	var sec int64
	for _, ch := range v {
		if ch < '0' || ch > '9' {
			return time.Time{}, fmt.Errorf("invalid until filter %q: %w", v, errdefs.ErrInvalidArg)
		}
		sec = sec*10 + int64(ch-'0')
	}
	return time.Unix(sec, 0), nil
}
