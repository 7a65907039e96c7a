package oci

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// syncBuffer is a bytes.Buffer safe for the writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startAttached creates a container, attaches before starting it, starts
// it and runs Copy to the end.
func (e *testEnv) startAttached(t *testing.T, opts CreateOptions, s AttachStreams) (error, int) {
	t.Helper()
	res := e.create(t, opts)
	conn, err := OpenAttach(opts.Bundle)
	if err != nil {
		t.Fatalf("OpenAttach: %v", err)
	}
	if err := e.rt.StartContainer(context.Background(), opts.ID); err != nil {
		t.Fatalf("StartContainer: %v", err)
	}
	return conn.Copy(ctxTimeout(t, hangTimeout), s), res.PID
}

func TestAttachDemux(t *testing.T) {
	e := newTestEnv(t)
	// A bundle path longer than a socket address can hold exercises the
	// /proc/self/fd route.
	long := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	if err := os.MkdirAll(long, 0o755); err != nil {
		t.Fatal(err)
	}
	id := newID(t)
	bundle := writeBundle(t, long, specOpts{args: []string{"sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 4"}})
	var stdout, stderr syncBuffer
	err, pid := e.startAttached(t, e.createOpts(id, bundle), AttachStreams{Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		t.Fatalf("Copy: %v", err)
	}
	if got := stdout.String(); got != "out1\nout2\n" {
		t.Errorf("stdout = %q", got)
	}
	if got := stderr.String(); got != "err1\n" {
		t.Errorf("stderr = %q", got)
	}
	if got := e.wait(t, id, pid); got != 4 {
		t.Errorf("exit code = %d, want 4", got)
	}
}

func TestAttachStdin(t *testing.T) {
	e := newTestEnv(t)
	id := newID(t)
	opts := e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"sh", "-c", "cat; echo done"}}))
	opts.Stdin = true
	var stdout syncBuffer
	err, pid := e.startAttached(t, opts, AttachStreams{Stdin: strings.NewReader("ping\npong\n"), Stdout: &stdout})
	if err != nil {
		t.Fatalf("Copy: %v", err)
	}
	// "done" proves the end of our stdin reached cat as EOF.
	if got := stdout.String(); got != "ping\npong\ndone\n" {
		t.Errorf("stdout = %q", got)
	}
	if got := e.wait(t, id, pid); got != 0 {
		t.Errorf("exit code = %d", got)
	}
}

func TestAttachTTYResize(t *testing.T) {
	e := newTestEnv(t)
	id := newID(t)
	opts := e.createOpts(id, writeBundle(t, "", specOpts{tty: true, args: []string{"sh", "-c", "read x; stty size; echo got:$x >&2"}}))
	opts.Terminal = true
	resize := make(chan TerminalSize, 1)
	resize <- TerminalSize{Height: 33, Width: 111}
	var stdout syncBuffer
	err, pid := e.startAttached(t, opts, AttachStreams{
		Stdin: strings.NewReader("hi\n"), Stdout: &stdout, Tty: true, Resize: resize,
		// A tty stdin that ends must not end the session.
		KeepStdinOpen: true,
	})
	if err != nil {
		t.Fatalf("Copy: %v", err)
	}
	out := stdout.String()
	// With a tty, stderr arrives as stdout, with \r\n line ends.
	for _, want := range []string{"33 111\r\n", "got:hi\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("tty output %q lacks %q", out, want)
		}
	}
	if got := e.wait(t, id, pid); got != 0 {
		t.Errorf("exit code = %d", got)
	}
}

func TestAttachDetachKeys(t *testing.T) {
	e := newTestEnv(t)
	id := newID(t)
	opts := e.createOpts(id, writeBundle(t, "", specOpts{tty: true, args: []string{"sh", "-c", "read x; echo got:$x; sleep 100"}}))
	opts.Terminal = true
	keys, err := ParseDetachKeys(DefaultDetachKeys)
	if err != nil {
		t.Fatal(err)
	}
	res := e.create(t, opts)
	conn, err := OpenAttach(opts.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.rt.StartContainer(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- conn.Copy(ctxTimeout(t, hangTimeout), AttachStreams{Stdin: pr, Stdout: &stdout, Tty: true, DetachKeys: keys})
	}()
	// ctrl-p alone is ordinary input; ctrl-p ctrl-q detaches.
	if _, err := pw.Write([]byte("a\x10b\n")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(stdout.String(), "got:a") })
	if _, err := pw.Write([]byte("\x10\x11")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, errdefs.ErrDetached) {
			t.Fatalf("Copy = %v, want ErrDetached", err)
		}
	case <-time.After(hangTimeout):
		t.Fatal("Copy did not return after the detach keys")
	}
	if err := syscall.Kill(res.PID, 0); err != nil {
		t.Errorf("container died on detach: %v", err)
	}
	// Re-attach works, and a resize reaches the running container.
	conn2, err := OpenAttach(opts.Bundle)
	if err != nil {
		t.Fatalf("re-attach: %v", err)
	}
	conn2.Close()
	if err := ResizeTerminal(opts.Bundle, 10, 20); err != nil {
		t.Errorf("ResizeTerminal: %v", err)
	}
	if err := e.rt.KillContainer(context.Background(), id, syscall.SIGKILL, false); err != nil {
		t.Fatal(err)
	}
	if got := e.wait(t, id, res.PID); got != 137 {
		t.Errorf("exit code = %d", got)
	}
	// conmon is gone: no one reads the ctl FIFO any more.
	waitFor(t, func() bool {
		return errors.Is(ResizeTerminal(opts.Bundle, 10, 20), errdefs.ErrCtrNotRunning)
	})
	if _, err := OpenAttach(opts.Bundle); !errors.Is(err, errdefs.ErrCtrNotRunning) {
		t.Errorf("OpenAttach after exit = %v, want ErrCtrNotRunning", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(hangTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", hangTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
