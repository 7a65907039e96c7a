package oci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ExecOptions describes one process to run in a running container.
type ExecOptions struct {
	// Process is the process to run; Process.Terminal asks for a pty.
	Process *specs.Process
	// Streams connect the process to the caller when not Detach.
	// DetachKeys are not honoured: an attached exec is tied to this
	// caller, who can only wait for it (or cancel ctx, which sends SIGTERM).
	// With a terminal, Stdout gets all output and Resize sets the size; a
	// size already queued in Resize when ExecContainer is called is the
	// terminal's size from the process's first instruction on.
	Streams AttachStreams
	// Detach starts the process in the background and returns its pid
	// at once. It cannot have a terminal (there is no monitor to hold it).
	Detach bool
	// PidFile, when set, receives the process's pid.
	PidFile string
}

// execWaitDelay bounds how long an attached exec waits for its output
// pipes after the process exited (a background child may hold them).
const execWaitDelay = 2 * time.Second

// ExecContainer runs opts.Process in container id with `runtime exec`. An
// attached exec returns the process's exit code (128+signal when killed);
// a detached one returns -1 and the new pid. Runtime failures (no such
// container, command not found, ...) come back as classified errors, not as
// exit codes.
func (r *Runtime) ExecContainer(ctx context.Context, id string, opts ExecOptions) (exitCode int, pid int, err error) {
	if opts.Process == nil || len(opts.Process.Args) == 0 {
		return -1, 0, fmt.Errorf("exec in %s: no command given: %w", id, errdefs.ErrInvalidArg)
	}
	if opts.Detach && opts.Process.Terminal {
		return -1, 0, fmt.Errorf("exec in %s: a detached exec cannot have a terminal: %w", id, errdefs.ErrInvalidArg)
	}
	// A size the caller queued before the call is the terminal's initial
	// size; it goes into the process spec, because runc sets the pty's size
	// from there before the process starts, while any later resize races
	// with the process's first look at its terminal.
	var initial *TerminalSize
	if opts.Process.Terminal && opts.Streams.Resize != nil {
		select {
		case sz, ok := <-opts.Streams.Resize:
			if ok {
				initial = &sz
			}
		default:
		}
	}
	files, err := r.newExecFiles(opts, initial)
	if err != nil {
		return -1, 0, fmt.Errorf("exec in %s: %w", id, err)
	}
	defer files.remove()

	args := append(r.globalArgs(), "--log="+files.log, "exec", "--process", files.process, "--pid-file", files.pid)
	switch {
	case opts.Detach:
		args = append(args, "--detach", id)
		return r.execDetached(ctx, id, args, files)
	case opts.Process.Terminal:
		return r.execTerminal(ctx, id, args, opts.Streams, files, initial)
	default:
		return r.execPlain(ctx, id, append(args, id), opts.Streams, files)
	}
}

// execFiles are the scratch files of one exec: the process spec, the pid
// file and the runtime's log, which keeps runc's messages apart from the
// process's own stderr.
type execFiles struct {
	dir, process, pid, log string
	keepPid                bool
}

func (r *Runtime) newExecFiles(opts ExecOptions, initial *TerminalSize) (*execFiles, error) {
	if err := os.MkdirAll(r.Root, 0o700); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(r.Root, "exec-")
	if err != nil {
		return nil, err
	}
	proc := *opts.Process
	if proc.Cwd == "" {
		proc.Cwd = "/"
	}
	if initial != nil {
		proc.ConsoleSize = &specs.Box{Height: uint(initial.Height), Width: uint(initial.Width)}
	}
	b, err := json.Marshal(&proc)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	f := &execFiles{dir: dir, process: filepath.Join(dir, "process.json"), pid: filepath.Join(dir, "pid"), log: filepath.Join(dir, "log")}
	if opts.PidFile != "" {
		f.pid, f.keepPid = opts.PidFile, true
	}
	if err := os.WriteFile(f.process, b, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return f, nil
}

func (f *execFiles) remove() { os.RemoveAll(f.dir) }

// runtimeErr returns the runtime's own error from its log, if it logged one.
func (f *execFiles) runtimeErr() error {
	b, err := os.ReadFile(f.log)
	if err != nil {
		return nil
	}
	if msg := runtimeMessage(b); msg != "" {
		return runtimeError("exec", msg)
	}
	return nil
}

func (f *execFiles) readPid() int {
	b, err := os.ReadFile(f.pid)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// runtimeCmd prepares the runtime command; cancelling ctx sends SIGTERM,
// which runc forwards to the process.
func (r *Runtime) runtimeCmd(ctx context.Context, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.Path, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = execWaitDelay
	return cmd
}

func (r *Runtime) execDetached(ctx context.Context, id string, args []string, files *execFiles) (int, int, error) {
	// stdio stays /dev/null: a pipe here would be inherited by the
	// background process and keep Wait blocked until it exits.
	cmd := exec.CommandContext(ctx, r.Path, args...)
	if err := cmd.Run(); err != nil {
		if rerr := files.runtimeErr(); rerr != nil {
			return -1, 0, rerr
		}
		return -1, 0, fmt.Errorf("exec in %s: %s exec: %w", id, r.Name, err)
	}
	return -1, files.readPid(), nil
}

func (r *Runtime) execPlain(ctx context.Context, id string, args []string, s AttachStreams, files *execFiles) (int, int, error) {
	cmd := r.runtimeCmd(ctx, args)
	cmd.Stdout = s.Stdout
	if s.Stderr != nil {
		cmd.Stderr = newLastWords(s.Stderr, files.log)
	}
	var stdinPipe io.WriteCloser
	switch in := s.Stdin.(type) {
	case nil:
	case *os.File:
		cmd.Stdin = in
	default:
		// Our own copy, so Wait does not wait for a Stdin that never ends.
		p, err := cmd.StdinPipe()
		if err != nil {
			return -1, 0, fmt.Errorf("exec in %s: %w", id, err)
		}
		stdinPipe = p
	}
	if err := cmd.Start(); err != nil {
		return -1, 0, fmt.Errorf("exec in %s: starting %s: %w", id, r.Name, err)
	}
	if stdinPipe != nil {
		go func() {
			_, _ = io.Copy(stdinPipe, s.Stdin)
			if !s.KeepStdinOpen {
				stdinPipe.Close()
			}
		}()
	}
	err := cmd.Wait()
	return r.execResult(ctx, id, cmd, err, files)
}

// execResult turns the runtime's exit into the process's exit code, or into
// the runtime's error when the runtime itself failed.
func (r *Runtime) execResult(ctx context.Context, id string, cmd *exec.Cmd, waitErr error, files *execFiles) (int, int, error) {
	pid := files.readPid()
	if rerr := files.runtimeErr(); rerr != nil {
		return -1, pid, rerr
	}
	if cmd.ProcessState == nil {
		return -1, pid, fmt.Errorf("exec in %s: %w", id, waitErr)
	}
	if ctx.Err() != nil && !cmd.ProcessState.Exited() {
		return -1, pid, fmt.Errorf("exec in %s: %w", id, ctx.Err())
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) && !errors.Is(waitErr, exec.ErrWaitDelay) {
		return -1, pid, fmt.Errorf("exec in %s: %w", id, waitErr)
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return 128 + int(ws.Signal()), pid, nil
	}
	return ws.ExitStatus(), pid, nil
}

// execTerminal runs an exec with a terminal. runc hands the container's pty
// master out (--console-socket) only to a detached exec, whose exit code
// nobody but a subreaper can collect; so runc stays attached and relays the
// container's pty to its own stdio, which is a pty of ours. runc puts that
// pty in raw mode, copies both ways, forwards signals, takes the size from
// it on start and on SIGWINCH, and exits with the process's exit code.
func (r *Runtime) execTerminal(ctx context.Context, id string, args []string, s AttachStreams, files *execFiles, initial *TerminalSize) (int, int, error) {
	master, slave, err := openPty()
	if err != nil {
		return -1, 0, fmt.Errorf("exec in %s: %w", id, err)
	}
	defer master.Close()
	// runc copies our pty's size to the container's once running: keep
	// the two in agreement.
	resize := func(sz TerminalSize) error { return setWinsize(master, sz) }
	if initial != nil {
		if err := resize(*initial); err != nil {
			return -1, 0, fmt.Errorf("exec in %s: sizing terminal: %w", id, err)
		}
	}
	cmd := r.runtimeCmd(ctx, append(args, "--tty", id))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	err = cmd.Start()
	slave.Close() // runc holds the only slave now, so its exit ends our reads
	if err != nil {
		return -1, 0, fmt.Errorf("exec in %s: starting %s: %w", id, r.Name, err)
	}

	done := make(chan struct{})
	defer close(done)
	if s.Resize != nil {
		go forwardResize(done, s.Resize, func(sz TerminalSize) error {
			if err := resize(sz); err != nil {
				return err
			}
			// runc is not the pty's session leader, so the kernel does
			// not signal it: tell it to re-read the size.
			return cmd.Process.Signal(syscall.SIGWINCH)
		})
	}
	if s.Stdin != nil {
		go func() { _, _ = io.Copy(master, s.Stdin) }()
	}
	outDone := make(chan struct{})
	go func() {
		defer close(outDone)
		var out io.Writer = io.Discard
		if s.Stdout != nil {
			out = newLastWords(s.Stdout, files.log)
		}
		// Reading the master ends with EIO once runc has closed the slave.
		_, _ = io.Copy(out, master)
	}()
	werr := cmd.Wait()
	// Whatever runc relayed is already buffered and is read at once; the
	// deadline only stops a read that waits on a stray holder of the pty.
	_ = master.SetReadDeadline(time.Now().Add(execWaitDelay))
	<-outDone
	return r.execResult(ctx, id, cmd, werr, files)
}
