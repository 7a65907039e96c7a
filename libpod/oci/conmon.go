package oci

import (
	"bytes"
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

	"golang.org/x/sys/unix"
)

// CreateOptions describes one container for CreateContainer. The bundle's
// config.json and root file system must already be in place.
type CreateOptions struct {
	ID         string
	Name       string // container name for conmon's logs; defaults to ID
	Bundle     string // directory holding config.json; conmon puts attach, ctl, pidfile here
	LogPath    string // k8s-file log path; "" disables logging
	ExitDir    string // conmon writes <ExitDir>/<ID> with the exit code
	PersistDir string // conmon writes exit and oom files here; "" omits it
	// Terminal allocates a pty; Stdin keeps a stdin pipe open (ignored
	// with Terminal: the pty carries input).
	Terminal, Stdin bool
	// LeaveStdinOpen keeps the container's stdin open when an attached
	// client disconnects (without it, the last detach closes stdin).
	LeaveStdinOpen bool
	// ExitCommand is run by conmon after the container exits: path first,
	// then its arguments.
	ExitCommand []string
	LogSizeMax  int64 // bytes; 0 means unlimited
	// Hold are files conmon inherits and keeps open for the container's
	// lifetime without using them: the bound sockets of a bridge
	// network's published ports, so no one else can take those ports.
	Hold []*os.File
}

// CreateResult reports the created container's processes.
type CreateResult struct {
	PID       int // the container's init process (host pid namespace)
	ConmonPID int // the conmon monitor
}

// Files conmon is told to write into the bundle.
const (
	pidFileName    = "pidfile"
	conmonPidFile  = "conmon.pid"
	runtimeLogFile = "oci-log"
	attachName     = "attach"
	ctlName        = "ctl"
)

// syncMessage is what conmon writes on the sync pipe.
type syncMessage struct {
	Data    int    `json:"data"`
	Message string `json:"message,omitempty"`
}

// CreateContainer starts conmon, which runs `runtime create` and stays
// behind as the container's monitor, and returns once the container exists
// in the "created" state. conmon forks, and its monitor calls setsid, so the
// container outlives the calling process; its attach socket and ctl FIFO
// are ready when this returns, so OpenAttach before StartContainer loses no
// output.
func (r *Runtime) CreateContainer(ctx context.Context, opts CreateOptions) (*CreateResult, error) {
	if opts.ID == "" || opts.Bundle == "" || opts.ExitDir == "" {
		return nil, errors.New("creating container: ID, bundle and exit directory are required")
	}
	for _, dir := range []string{opts.ExitDir, opts.PersistDir} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating container %s: %w", opts.ID, err)
		}
	}
	// Stale files from an earlier run of the same bundle would confuse
	// both conmon (mkfifo fails) and our error reporting.
	for _, name := range []string{ctlName, runtimeLogFile, pidFileName, conmonPidFile} {
		_ = os.Remove(filepath.Join(opts.Bundle, name))
	}

	syncParent, syncChild, err := seqpacketPair()
	if err != nil {
		return nil, fmt.Errorf("creating container %s: sync pipe: %w", opts.ID, err)
	}
	defer syncParent.Close()
	startParent, startChild, err := seqpacketPair()
	if err != nil {
		syncChild.Close()
		return nil, fmt.Errorf("creating container %s: start pipe: %w", opts.ID, err)
	}

	cmd := exec.Command(r.ConmonPath, r.conmonArgs(opts)...)
	cmd.Dir = opts.Bundle
	cmd.Env = append(conmonEnv(os.Environ()), "_OCI_SYNCPIPE=3", "_OCI_STARTPIPE=4")
	cmd.ExtraFiles = append([]*os.File{syncChild, startChild}, opts.Hold...)
	// conmon's first process prints option errors here and exits; its
	// monitor points its stdio at /dev/null right after forking, so this
	// pipe reaches EOF as soon as the first process is gone.
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	// Its own process group keeps a terminal's ^C away from conmon.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	err = cmd.Start()
	syncChild.Close()
	startChild.Close()
	if err != nil {
		startParent.Close()
		return nil, fmt.Errorf("creating container %s: starting conmon: %w", opts.ID, err)
	}
	// The start byte is where a caller would move conmon into a cgroup;
	// skiff has none to move it to, so it is sent at once.
	_, werr := startParent.Write([]byte{0})
	startParent.Close()
	if werr != nil {
		_ = cmd.Wait()
		return nil, r.createError(opts, "conmon did not accept the start byte", out.String())
	}
	if err := cmd.Wait(); err != nil {
		return nil, r.createError(opts, "conmon: "+err.Error(), out.String())
	}

	msg, err := readSync(ctx, syncParent)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, r.createError(opts, "conmon exited without reporting the container pid", out.String())
		}
		return nil, fmt.Errorf("creating container %s: reading conmon sync pipe: %w", opts.ID, err)
	}
	if msg.Data <= 0 {
		return nil, r.createError(opts, msg.Message, out.String())
	}
	res := &CreateResult{PID: msg.Data}
	if b, err := os.ReadFile(filepath.Join(opts.Bundle, conmonPidFile)); err == nil {
		res.ConmonPID, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	return res, nil
}

// conmonArgs builds conmon's command line (checked against conmon 2.1.6).
func (r *Runtime) conmonArgs(opts CreateOptions) []string {
	name := opts.Name
	if name == "" {
		name = opts.ID
	}
	logDriver := "none"
	if opts.LogPath != "" {
		logDriver = "k8s-file:" + opts.LogPath
	}
	args := []string{
		"--api-version", "1",
		"-c", opts.ID,
		"-u", opts.ID,
		"-r", r.Path,
		"-b", opts.Bundle,
		"-p", filepath.Join(opts.Bundle, pidFileName),
		"-n", name,
		"--exit-dir", opts.ExitDir,
		"--full-attach",
		"-l", logDriver,
		"--log-level", r.LogLevel,
		"--conmon-pidfile", filepath.Join(opts.Bundle, conmonPidFile),
		"--runtime-arg", "--root=" + r.Root,
		"--runtime-arg", "--log-format=json",
		"--runtime-arg", "--log=" + filepath.Join(opts.Bundle, runtimeLogFile),
	}
	if opts.PersistDir != "" {
		args = append(args, "--persist-dir", opts.PersistDir)
	}
	if opts.LogSizeMax > 0 {
		args = append(args, "--log-size-max", strconv.FormatInt(opts.LogSizeMax, 10))
	}
	// With a pty the console carries stdin; conmon's -i would make a
	// detaching client close the whole console.
	switch {
	case opts.Terminal:
		args = append(args, "-t")
	case opts.Stdin:
		args = append(args, "-i")
	}
	if opts.LeaveStdinOpen {
		args = append(args, "--leave-stdin-open")
	}
	if len(opts.ExitCommand) > 0 {
		args = append(args, "--exit-command", opts.ExitCommand[0])
		for _, a := range opts.ExitCommand[1:] {
			args = append(args, "--exit-command-arg", a)
		}
	}
	return args
}

// conmonEnv drops variables that belong to this process only: the systemd
// notify and socket-activation protocols, and conmon's own pipe variables.
func conmonEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES",
			"_OCI_SYNCPIPE", "_OCI_STARTPIPE", "_OCI_ATTACHPIPE":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// createError builds the error for a failed create. runc's own message is
// the most precise (its JSON log in the bundle), then conmon's relay of
// runc's stderr, then conmon's own output.
func (r *Runtime) createError(opts CreateOptions, syncMsg, conmonOut string) error {
	msg := ""
	if b, err := os.ReadFile(filepath.Join(opts.Bundle, runtimeLogFile)); err == nil {
		msg = runtimeMessage(b)
	}
	if msg == "" {
		msg = strings.TrimSpace(runtimeMessage([]byte(syncMsg)))
	}
	if out := strings.TrimSpace(conmonOut); msg == "" && out != "" {
		msg = out
	}
	if msg == "" {
		msg = "unknown error (no message from conmon or the runtime)"
	}
	return runtimeError("create", msg)
}

// seqpacketPair returns the two ends of a SOCK_SEQPACKET socket pair, the
// kind conmon expects for its sync and start pipes. The parent end is
// non-blocking so reads honour deadlines.
func seqpacketPair() (parent, child *os.File, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		unix.Close(fds[0])
		unix.Close(fds[1])
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "sync-parent"), os.NewFile(uintptr(fds[1]), "sync-child"), nil
}

// readSync reads one message from conmon's sync pipe; io.EOF means conmon
// closed it without writing.
func readSync(ctx context.Context, f *os.File) (syncMessage, error) {
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) })
	defer stop()
	buf := make([]byte, 64*1024)
	n, err := f.Read(buf)
	if err != nil {
		if ctx.Err() != nil {
			return syncMessage{}, ctx.Err()
		}
		return syncMessage{}, err
	}
	var msg syncMessage
	if err := json.Unmarshal(bytes.TrimSpace(buf[:n]), &msg); err != nil {
		return syncMessage{}, fmt.Errorf("decoding %q: %w", buf[:n], err)
	}
	return msg, nil
}
