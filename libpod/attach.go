package libpod

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/opencontainers/runtime-spec/specs-go"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// Attach connects the caller's streams to a running container's main
// process until it exits or the caller detaches.
func (r *Runtime) Attach(ctx context.Context, c *Container, streams oci.AttachStreams, resize <-chan oci.TerminalSize, ready func()) error {
	if err := r.sync(ctx, c); err != nil {
		return err
	}
	if c.State.Status == StatusCreated {
		// Docker clients attach before they start: prepare the container
		// in the runtime now, so the attach socket exists and the start
		// that follows loses no output.
		if err := r.Init(ctx, c); err != nil {
			return err
		}
	} else if c.State.Status == StatusPaused {
		return errExecPaused(c.ID, "attach")
	} else if c.State.Status != StatusRunning {
		return fmt.Errorf("you cannot attach to a stopped container %s, start it first: %w", c.Name, errdefs.ErrCtrNotRunning)
	}
	conn, err := oci.OpenAttach(r.bundleDir(c.ID))
	if err != nil {
		return fmt.Errorf("attaching to container %s: %w", c.Name, err)
	}
	if ready != nil {
		ready()
	}
	return r.CopyAttach(ctx, c, conn, streams, resize)
}

// CopyAttach copies between an open attach connection and the caller's
// streams, forwarding terminal resizes, until the container's output ends.
func (r *Runtime) CopyAttach(ctx context.Context, c *Container, conn *oci.AttachConn, streams oci.AttachStreams, resize <-chan oci.TerminalSize) error {
	defer conn.Close()
	streams.Tty = c.Config.Spec.Terminal
	if streams.Tty {
		streams.Resize = resize
	}
	return conn.Copy(ctx, streams)
}

// withInitial yields first (when set) and then everything from rest.
func withInitial(ctx context.Context, first *oci.TerminalSize, rest <-chan oci.TerminalSize) <-chan oci.TerminalSize {
	if first == nil {
		return rest
	}
	out := make(chan oci.TerminalSize, 1)
	out <- *first
	go func() {
		defer close(out)
		for rest != nil {
			select {
			case <-ctx.Done():
				return
			case s, ok := <-rest:
				if !ok {
					return
				}
				select {
				case out <- s:
				case <-ctx.Done():
					return
				}
			}
		}
		<-ctx.Done()
	}()
	return out
}

// ExecConfig describes a process to run in a running container.
type ExecConfig struct {
	Cmd         []string                `json:"cmd"`
	Env         []string                `json:"env,omitempty"`
	User        string                  `json:"user,omitempty"`
	WorkDir     string                  `json:"work_dir,omitempty"`
	Tty         bool                    `json:"tty,omitempty"`
	Interactive bool                    `json:"interactive,omitempty"`
	Privileged  bool                    `json:"privileged,omitempty"`
	Detach      bool                    `json:"-"`
	Streams     oci.AttachStreams       `json:"-"`
	Resize      <-chan oci.TerminalSize `json:"-"`
	InitialSize *oci.TerminalSize       `json:"-"`
}

// Exec runs a process in the container and returns its exit code (or its
// pid when detached).
func (r *Runtime) Exec(ctx context.Context, c *Container, cfg ExecConfig) (int, int, error) {
	if err := r.sync(ctx, c); err != nil {
		return -1, 0, err
	}
	if c.State.Status == StatusPaused {
		return -1, 0, errExecPaused(c.ID, "exec")
	}
	if c.State.Status != StatusRunning {
		return -1, 0, fmt.Errorf("can only exec into a running container, %s is %s: %w", c.Name, c.State.Status, errdefs.ErrCtrNotRunning)
	}
	proc, err := r.execProcess(c, cfg)
	if err != nil {
		return -1, 0, err
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return -1, 0, err
	}
	if !cfg.Interactive {
		cfg.Streams.Stdin = nil
	}
	cfg.Streams.Tty = cfg.Tty
	if cfg.Tty {
		cfg.Streams.Resize = withInitial(ctx, cfg.InitialSize, cfg.Resize)
	}
	// The runtime's failures say all there is to say ("OCI runtime exec
	// failed: ..."), like Docker's, without naming the container again.
	return rt.ExecContainer(ctx, c.ID, oci.ExecOptions{Process: proc, Streams: cfg.Streams, Detach: cfg.Detach})
}

// execProcess derives the exec'd process from the container's own: same
// environment, user, capabilities and working directory unless overridden.
func (r *Runtime) execProcess(c *Container, cfg ExecConfig) (*specs.Process, error) {
	data, err := os.ReadFile(filepath.Join(r.bundleDir(c.ID), "config.json"))
	if err != nil {
		return nil, fmt.Errorf("reading spec of container %s: %w", c.ID, err)
	}
	var spec specs.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("decoding spec of container %s: %w", c.ID, err)
	}
	p := *spec.Process
	p.Args = cfg.Cmd
	p.Terminal = cfg.Tty
	p.ConsoleSize = nil
	var term []string
	if cfg.Tty {
		term = []string{"TERM=xterm"} // unless the container or the caller set one
	}
	p.Env = specgen.MergeEnv(term, p.Env, cfg.Env)
	if cfg.WorkDir != "" {
		p.Cwd = cfg.WorkDir
	}
	if cfg.User != "" {
		u, err := specgen.ResolveUser(c.State.Mountpoint, cfg.User)
		if err != nil {
			return nil, err
		}
		p.User = u
	}
	return &p, nil
}
