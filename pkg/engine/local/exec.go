package local

import (
	"context"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/engine"
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
// filters (Docker's label, label! and until).
func (e *containers) Prune(ctx context.Context, opts engine.PruneOptions) (*engine.PruneReport, error) {
	rep, err := e.rt.Prune(ctx, opts.Filters)
	if err != nil {
		return nil, err
	}
	return &engine.PruneReport{Deleted: rep.Deleted, SpaceReclaimed: rep.SpaceReclaimed}, nil
}
