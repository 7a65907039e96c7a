package oci

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Runtime is one OCI runtime binary together with the conmon that monitors
// its containers. It holds no mutable state and is safe for concurrent use.
type Runtime struct {
	// Name is the runtime's short name ("runc", "crun", or the base name of
	// a custom path).
	Name string
	// Path is the runtime binary.
	Path string
	// Root is the runtime's state directory, passed as --root on every call.
	Root string
	// ConmonPath is the conmon binary.
	ConmonPath string
	// LogLevel is conmon's --log-level ("debug", "info", "warning", "error").
	LogLevel string
}

// globalArgs are the runtime options that precede every subcommand. JSON
// logs let runtimeError pick the message out of the runtime's stderr.
func (r *Runtime) globalArgs() []string {
	return []string{"--root", r.Root, "--log-format=json"}
}

// run executes one runtime subcommand and returns its stdout. A failure
// carries the runtime's own error message, classified by classifyRuntimeMsg.
func (r *Runtime) run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, r.Path, append(r.globalArgs(), args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s %s: %w", r.Name, args[0], ctx.Err())
		}
		msg := runtimeMessage(stderr.Bytes())
		if msg == "" {
			msg = err.Error()
		}
		return nil, classifyRuntimeMsg(fmt.Sprintf("%s %s", r.Name, args[0]), msg)
	}
	return stdout.Bytes(), nil
}

// StartContainer starts a container created by CreateContainer.
func (r *Runtime) StartContainer(ctx context.Context, id string) error {
	_, err := r.run(ctx, "start", id)
	return err
}

// KillContainer sends sig to the container's init process, or to all of
// its processes when all is set. A container that is gone or already
// stopped yields an error wrapping errdefs.ErrNoSuchContainer or
// errdefs.ErrCtrNotRunning.
//
// runc finds "all processes" through the container's cgroup; a rootless
// container on cgroup v1 has none, and runc then fails (runc 1.1.5: "lstat :
// no such file or directory"). The signal then goes to init alone, which
// for SIGKILL in a private PID namespace still ends every process in it.
func (r *Runtime) KillContainer(ctx context.Context, id string, sig syscall.Signal, all bool) error {
	signal := strconv.Itoa(int(sig))
	if all {
		_, err := r.run(ctx, "kill", "--all", id, signal)
		if err == nil || errors.Is(err, errdefs.ErrNoSuchContainer) || errors.Is(err, errdefs.ErrCtrNotRunning) || ctx.Err() != nil {
			return err
		}
		logrus.Debugf("signalling all processes of %s failed (%v); signalling its init process", id, err)
	}
	_, err := r.run(ctx, "kill", id, signal)
	return err
}

// DeleteContainer removes the runtime's record of a container (force also
// kills a running one). A container the runtime does not know is not an
// error, so cleanup can be repeated safely.
func (r *Runtime) DeleteContainer(ctx context.Context, id string, force bool) error {
	args := []string{"delete"}
	if force {
		args = append(args, "--force")
	}
	args = append(args, id)
	_, err := r.run(ctx, args...)
	if errors.Is(err, errdefs.ErrNoSuchContainer) {
		return nil
	}
	return err
}

// runtimeMessage extracts the error text from a runtime's JSON log lines
// (runc and crun both write {"level":"error","msg":...}); lines that are not
// JSON are kept verbatim so nothing useful is dropped.
func runtimeMessage(out []byte) string {
	var msgs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var entry struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		if json.Unmarshal([]byte(line), &entry) != nil {
			msgs = append(msgs, line)
			continue
		}
		if entry.Level == "error" || entry.Level == "fatal" || entry.Level == "panic" {
			msgs = append(msgs, entry.Msg)
		}
	}
	return strings.Join(msgs, "; ")
}

// classifyRuntimeMsg turns a runtime error message into an error of the
// right class. The texts are runc's and crun's; they are the only signal the
// runtimes give, so matching them here keeps text matching out of callers.
func classifyRuntimeMsg(op, msg string) error {
	lower := strings.ToLower(msg)
	var class error
	switch {
	case strings.Contains(lower, "does not exist"),
		strings.Contains(lower, "container not found"):
		class = errdefs.ErrNoSuchContainer
	case strings.Contains(lower, "container not running"),
		strings.Contains(lower, "process already finished"),
		strings.Contains(lower, "no such process"):
		class = errdefs.ErrCtrNotRunning
	case strings.Contains(lower, "cannot start a container that has stopped"),
		strings.Contains(lower, "cannot start an already running container"),
		strings.Contains(lower, "is not in created state"),
		strings.Contains(lower, "container not paused"):
		class = errdefs.ErrCtrStateInvalid
	case strings.Contains(lower, "executable file not found"),
		strings.Contains(lower, "no such file or directory") && strings.Contains(lower, "exec"):
		class = errdefs.ErrCommandNotFound
	case strings.Contains(lower, "permission denied") && strings.Contains(lower, "exec"):
		class = errdefs.ErrCannotInvoke
	}
	if op = withoutRepeat(op, msg); op != "" {
		msg = op + ": " + msg
	}
	if class == nil {
		return errors.New(msg)
	}
	return fmt.Errorf("%s: %w", msg, class)
}

// withoutRepeat drops the runtime command ending op ("…: runc create")
// when msg already names it: runc words its failures "runc create failed:
// …", which would otherwise read "runc create: runc create failed".
func withoutRepeat(op, msg string) string {
	head, cmd := "", op
	if i := strings.LastIndex(op, ": "); i >= 0 {
		head, cmd = op[:i], op[i+2:]
	}
	if strings.HasPrefix(msg, cmd+" ") {
		return head
	}
	return op
}
