package libpod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// ExecSession is Docker's two-step exec: created with its process, then
// started once, then inspected for its exit code.
type ExecSession struct {
	ID          string     `json:"id"`
	ContainerID string     `json:"container_id"`
	Config      ExecConfig `json:"config"`
	Running     bool       `json:"running"`
	ExitCode    *int       `json:"exit_code,omitempty"`
	Pid         int        `json:"pid,omitempty"`
	DetachKeys  string     `json:"detach_keys,omitempty"`
}

// execResizers lets a resize request reach the exec it names while that
// exec runs in this process (the API service); sessions run by other
// processes are not reachable, which Docker's API never needs.
type execResizers struct {
	mu sync.Mutex
	m  map[string]chan oci.TerminalSize
}

func (e *execResizers) add(id string) chan oci.TerminalSize {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]chan oci.TerminalSize{}
	}
	ch := make(chan oci.TerminalSize, 4)
	e.m[id] = ch
	return ch
}

func (e *execResizers) remove(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.m, id)
}

func (e *execResizers) get(id string) (chan oci.TerminalSize, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch, ok := e.m[id]
	return ch, ok
}

// CreateExec records an exec session for a running container.
func (r *Runtime) CreateExec(ctx context.Context, c *Container, cfg ExecConfig, detachKeys string) (*ExecSession, error) {
	if err := r.sync(ctx, c); err != nil {
		return nil, err
	}
	if c.State.Status == StatusPaused {
		return nil, errExecPaused(c.ID, "exec")
	}
	if c.State.Status != StatusRunning {
		return nil, fmt.Errorf("container %s is not running: %w", c.ID, errdefs.ErrCtrNotRunning)
	}
	if len(cfg.Cmd) == 0 {
		return nil, fmt.Errorf("no command given to exec: %w", errdefs.ErrInvalidArg)
	}
	// The session is stored: bound it as a container's process is.
	if err := specgen.ValidateProcess(cfg.Env, cfg.Cmd); err != nil {
		return nil, err
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	cfg.Streams, cfg.Resize, cfg.InitialSize = oci.AttachStreams{}, nil, nil
	s := &ExecSession{ID: id, ContainerID: c.ID, Config: cfg, DetachKeys: detachKeys}
	if err := r.saveExec(ctx, s, true); err != nil {
		return nil, err
	}
	r.recordEvent(ctx, c, "exec_create", map[string]string{"execID": id})
	return s, nil
}

// Exec session lookup by ID (or unique prefix is not supported: Docker
// clients always use the full ID).
func (r *Runtime) ExecSession(ctx context.Context, id string) (*ExecSession, error) {
	rec, err := r.db.ExecSession(ctx, id)
	if err != nil {
		if errors.Is(err, errdefs.ErrNoSuchExecSession) {
			return nil, fmt.Errorf("no such exec instance: %s: %w", id, errdefs.ErrNoSuchExecSession)
		}
		return nil, err
	}
	var s ExecSession
	if err := json.Unmarshal(rec.Data, &s); err != nil {
		return nil, fmt.Errorf("decoding exec session %s: %w", id, err)
	}
	if s.Running && s.Pid > 0 && s.ExitCode == nil && !processAlive(s.Pid) {
		s.Running = false
	}
	return &s, nil
}

// StartExec runs a created exec session with the caller's streams and
// records its exit code.
func (r *Runtime) StartExec(ctx context.Context, s *ExecSession, streams oci.AttachStreams, detach bool, size *oci.TerminalSize) (int, error) {
	if s.Running || s.ExitCode != nil {
		return -1, fmt.Errorf("exec session %s has already run: %w", s.ID, errdefs.ErrCtrStateInvalid)
	}
	c, err := r.byID(ctx, s.ContainerID)
	if err != nil {
		return -1, err
	}
	cfg := s.Config
	cfg.Streams, cfg.Detach, cfg.InitialSize = streams, detach, size
	if cfg.Tty && !detach {
		cfg.Resize = r.execResize.add(s.ID)
		defer r.execResize.remove(s.ID)
	}
	s.Running = true
	if err := r.saveExec(ctx, s, false); err != nil {
		return -1, err
	}
	r.recordEvent(ctx, c, "exec_start", map[string]string{"execID": s.ID})
	code, pid, err := r.Exec(ctx, c, cfg)
	s.Pid = pid
	if detach && err == nil {
		return 0, r.saveExec(context.WithoutCancel(ctx), s, false)
	}
	s.Running = false
	if err == nil {
		s.ExitCode = &code
	} else {
		failed := errdefs.ExitCode(err)
		s.ExitCode = &failed
	}
	if serr := r.saveExec(context.WithoutCancel(ctx), s, false); serr != nil && err == nil {
		err = serr
	}
	r.recordEvent(ctx, c, "exec_die", map[string]string{"execID": s.ID, "exitCode": strconv.Itoa(*s.ExitCode)})
	return code, err
}

// ResizeExec resizes the terminal of an exec running in this process.
func (r *Runtime) ResizeExec(ctx context.Context, id string, size oci.TerminalSize) error {
	s, err := r.ExecSession(ctx, id)
	if err != nil {
		return err
	}
	if !s.Running {
		return fmt.Errorf("exec session %s is not running: %w", id, errdefs.ErrCtrStateInvalid)
	}
	ch, ok := r.execResize.get(id)
	if !ok {
		return nil
	}
	select {
	case ch <- size:
	default:
	}
	return nil
}

func (r *Runtime) saveExec(ctx context.Context, s *ExecSession, create bool) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if create {
		return r.db.AddExecSession(ctx, state.ExecRecord{ID: s.ID, ContainerID: s.ContainerID, Data: data})
	}
	return r.db.UpdateExecSession(ctx, s.ID, data)
}

// ExecSessionIDs lists a container's exec sessions.
func (r *Runtime) ExecSessionIDs(ctx context.Context, c *Container) []string {
	recs, err := r.db.ExecSessions(ctx, c.ID)
	ids := []string{}
	if err != nil {
		return ids
	}
	for _, rec := range recs {
		ids = append(ids, rec.ID)
	}
	return ids
}
