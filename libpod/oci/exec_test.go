package oci

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// runningContainer starts `sleep 100` and returns its id.
func (e *testEnv) runningContainer(t *testing.T) string {
	t.Helper()
	id := newID(t)
	e.create(t, e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"sleep", "100"}})))
	if err := e.rt.StartContainer(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	return id
}

func execProcess(tty bool, args ...string) *specs.Process {
	return &specs.Process{
		Terminal: tty,
		Args:     args,
		Env:      []string{"PATH=/bin", "TERM=xterm"},
		Cwd:      "/",
	}
}

func TestExecAttached(t *testing.T) {
	e := newTestEnv(t)
	id := e.runningContainer(t)
	cases := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "exit code", args: []string{"sh", "-c", "exit 5"}, wantCode: 5},
		{name: "streams", args: []string{"sh", "-c", "echo out; echo err >&2; exit 1"}, wantCode: 1, wantStdout: "out\n", wantStderr: "err\n"},
		{name: "stdin", args: []string{"sh", "-c", "cat; echo eof"}, stdin: "abc\n", wantStdout: "abc\neof\n"},
		{name: "signal", args: []string{"sh", "-c", "kill -KILL $$"}, wantCode: 137},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			s := AttachStreams{Stdout: &stdout, Stderr: &stderr}
			if tc.stdin != "" {
				s.Stdin = strings.NewReader(tc.stdin)
			}
			code, pid, err := e.rt.ExecContainer(ctxTimeout(t, hangTimeout), id, ExecOptions{Process: execProcess(false, tc.args...), Streams: s})
			if err != nil {
				t.Fatalf("ExecContainer: %v", err)
			}
			if code != tc.wantCode || pid <= 0 {
				t.Errorf("exit code, pid = %d, %d; want %d, >0", code, pid, tc.wantCode)
			}
			if stdout.String() != tc.wantStdout || stderr.String() != tc.wantStderr {
				t.Errorf("stdout, stderr = %q, %q; want %q, %q", stdout.String(), stderr.String(), tc.wantStdout, tc.wantStderr)
			}
		})
	}
}

func TestExecErrors(t *testing.T) {
	e := newTestEnv(t)
	id := e.runningContainer(t)
	ctx := ctxTimeout(t, hangTimeout)
	cases := []struct {
		name  string
		id    string
		opts  ExecOptions
		class error
	}{
		{name: "command not found", id: id, opts: ExecOptions{Process: execProcess(false, "nosuchcmd")}, class: errdefs.ErrCommandNotFound},
		{name: "command not found with tty", id: id, opts: ExecOptions{Process: execProcess(true, "/nope")}, class: errdefs.ErrCommandNotFound},
		{name: "no such container", id: "no-such-ctr", opts: ExecOptions{Process: execProcess(false, "true")}, class: errdefs.ErrNoSuchContainer},
		{name: "no args", id: id, opts: ExecOptions{Process: &specs.Process{}}, class: errdefs.ErrInvalidArg},
		{name: "detached tty", id: id, opts: ExecOptions{Process: execProcess(true, "true"), Detach: true}, class: errdefs.ErrInvalidArg},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.rt.ExecContainer(ctx, tc.id, tc.opts)
			if !errors.Is(err, tc.class) {
				t.Errorf("ExecContainer = %v, want %v", err, tc.class)
			}
		})
	}
}

// TestExecFailureSaidOnce checks that runc's reason for not starting the
// process comes back in the error only: runc also prints it on its stderr,
// which is the process's stderr, or the terminal.
func TestExecFailureSaidOnce(t *testing.T) {
	e := newTestEnv(t)
	id := e.runningContainer(t)
	const reason = `stat /nope: no such file or directory`
	for _, tty := range []bool{false, true} {
		var stdout, stderr syncBuffer
		s := AttachStreams{Stdout: &stdout, Stderr: &stderr, Tty: tty}
		_, _, err := e.rt.ExecContainer(ctxTimeout(t, 20*time.Second), id, ExecOptions{Process: execProcess(tty, "/nope"), Streams: s})
		if !errors.Is(err, errdefs.ErrCommandNotFound) || !strings.HasPrefix(err.Error(), "OCI runtime exec failed: ") ||
			strings.Count(err.Error(), reason) != 1 {
			t.Errorf("tty=%v: error %v, want \"OCI runtime exec failed: ...%s\", command not found", tty, err, reason)
		}
		if stdout.String() != "" || stderr.String() != "" {
			t.Errorf("tty=%v: the streams got stdout %q, stderr %q; want nothing", tty, stdout.String(), stderr.String())
		}
	}
}

func TestExecTTY(t *testing.T) {
	e := newTestEnv(t)
	id := e.runningContainer(t)
	resize := make(chan TerminalSize, 1)
	resize <- TerminalSize{Height: 21, Width: 77}
	var stdout syncBuffer
	code, _, err := e.rt.ExecContainer(ctxTimeout(t, hangTimeout), id, ExecOptions{
		Process: execProcess(true, "sh", "-c", "read x; stty size; tty; echo got:$x >&2; exit 7"),
		Streams: AttachStreams{Stdin: strings.NewReader("yo\n"), Stdout: &stdout, Tty: true, Resize: resize},
	})
	if err != nil {
		t.Fatalf("ExecContainer: %v", err)
	}
	if code != 7 {
		t.Errorf("exit code = %d, want 7", code)
	}
	out := stdout.String()
	for _, want := range []string{"21 77\r\n", "/dev/pts/", "got:yo\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("tty output %q lacks %q", out, want)
		}
	}
}

func TestExecDetached(t *testing.T) {
	e := newTestEnv(t)
	id := e.runningContainer(t)
	pidFile := filepath.Join(t.TempDir(), "exec.pid")
	code, pid, err := e.rt.ExecContainer(ctxTimeout(t, hangTimeout), id, ExecOptions{
		Process: execProcess(false, "sh", "-c", "sleep 0.2; echo > /dev/shm/done; sleep 100"),
		Detach:  true,
		PidFile: pidFile,
	})
	if err != nil {
		t.Fatalf("ExecContainer: %v", err)
	}
	if code != -1 || pid <= 0 {
		t.Fatalf("code, pid = %d, %d; want -1 and a pid", code, pid)
	}
	if b, err := os.ReadFile(pidFile); err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(pid) {
		t.Errorf("pid file = %q, %v; want %d", b, err, pid)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Errorf("detached exec process %d not running: %v", pid, err)
	}
	// The background process keeps working after ExecContainer returned.
	var stdout syncBuffer
	code, _, err = e.rt.ExecContainer(ctxTimeout(t, hangTimeout), id, ExecOptions{
		Process: execProcess(false, "sh", "-c", "while [ ! -e /dev/shm/done ]; do sleep 0.05; done; echo ok"),
		Streams: AttachStreams{Stdout: &stdout},
	})
	if err != nil || code != 0 || stdout.String() != "ok\n" {
		t.Errorf("follow-up exec = %d, %q, %v", code, stdout.String(), err)
	}
}

func TestExecTTYResizeWhileRunning(t *testing.T) {
	e := newTestEnv(t)
	id := e.runningContainer(t)
	resize := make(chan TerminalSize, 1)
	resize <- TerminalSize{Height: 10, Width: 50}
	pr, pw := io.Pipe()
	defer pw.Close()
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		_, _, err := e.rt.ExecContainer(ctxTimeout(t, hangTimeout), id, ExecOptions{
			Process: execProcess(true, "sh", "-c", `stty size; while [ "$(stty size)" != "40 90" ]; do sleep 0.02; done; echo resized`),
			Streams: AttachStreams{Stdin: pr, Stdout: &stdout, Tty: true, Resize: resize},
		})
		done <- err
	}()
	waitFor(t, func() bool { return strings.Contains(stdout.String(), "10 50") })
	resize <- TerminalSize{Height: 40, Width: 90}
	select {
	case err := <-done:
		if err != nil || !strings.Contains(stdout.String(), "resized") {
			t.Errorf("exec = %v, output %q", err, stdout.String())
		}
	case <-time.After(hangTimeout):
		t.Fatalf("resize never reached the exec; output %q", stdout.String())
	}
}
