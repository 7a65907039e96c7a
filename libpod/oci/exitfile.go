package oci

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// exitFileGrace bounds how long WaitExit waits for conmon's exit file once
// the container process is gone. conmon drains the container's output and
// writes the file within milliseconds; only a dead conmon takes longer.
const exitFileGrace = 10 * time.Second

// ReadExitFile reads conmon's exit file <exitDir>/<id>: the container's exit
// code (128+signal when a signal killed it) and, from the file's mtime, when
// it finished. When the file is absent the error wraps fs.ErrNotExist.
func ReadExitFile(exitDir, id string) (int, time.Time, error) {
	f, err := os.Open(filepath.Join(exitDir, id))
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("reading exit file of %s: %w", id, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("reading exit file of %s: %w", id, err)
	}
	var buf [32]byte
	n, _ := f.Read(buf[:])
	code, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("parsing exit file of %s: %w", id, err)
	}
	return code, fi.ModTime(), nil
}

// WaitExit blocks until conmon has written the exit file of container id and
// returns what ReadExitFile returns. pid, when positive, is the container's
// init process (CreateResult.PID): it is watched with a pidfd so a conmon
// that died without writing the file yields an error instead of a hang.
// The wait uses inotify and poll(2); it neither polls the file in a loop nor
// asks the runtime for the container's state.
func WaitExit(ctx context.Context, exitDir, id string, pid int) (int, time.Time, error) {
	return waitExit(ctx, exitDir, id, pid, exitFileGrace)
}

func waitExit(ctx context.Context, exitDir, id string, pid int, grace time.Duration) (int, time.Time, error) {
	ino, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("waiting for %s: inotify: %w", id, err)
	}
	defer unix.Close(ino)
	// conmon writes the file via a temporary name and rename; watching
	// before the first read closes the gap between the two.
	if _, err := unix.InotifyAddWatch(ino, exitDir, unix.IN_MOVED_TO|unix.IN_CLOSE_WRITE); err != nil {
		return 0, time.Time{}, fmt.Errorf("waiting for %s: watching %s: %w", id, exitDir, err)
	}
	if code, t, err := ReadExitFile(exitDir, id); !errors.Is(err, os.ErrNotExist) {
		return code, t, err
	}

	w := &exitWaiter{ino: ino, pidfd: -1, cancelfd: -1, grace: grace}
	defer w.close()
	if pid > 0 {
		fd, err := unix.PidfdOpen(pid, 0)
		switch {
		case err == nil:
			w.pidfd = fd
		case errors.Is(err, unix.ESRCH):
			w.graceUntil = time.Now().Add(grace)
		default:
			// Kernels before 5.3 lack pidfd_open: rely on the file alone.
		}
	}
	if w.cancelfd, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		return 0, time.Time{}, fmt.Errorf("waiting for %s: eventfd: %w", id, err)
	}
	stop := context.AfterFunc(ctx, func() {
		one := uint64(1)
		_, _ = unix.Write(w.cancelfd, (*[8]byte)(unsafe.Pointer(&one))[:])
	})
	defer stop()

	for {
		ev, err := w.poll()
		if err != nil {
			return 0, time.Time{}, fmt.Errorf("waiting for %s: %w", id, err)
		}
		switch {
		case ev.cancelled:
			return 0, time.Time{}, fmt.Errorf("waiting for %s: %w", id, ctx.Err())
		case ev.timedOut:
			return 0, time.Time{}, fmt.Errorf("waiting for %s: process %d exited but conmon wrote no exit file within %s", id, pid, grace)
		}
		if ev.exited || w.fileEvent(id) {
			code, t, err := ReadExitFile(exitDir, id)
			if !errors.Is(err, os.ErrNotExist) {
				return code, t, err
			}
		}
	}
}

// exitWaiter holds the descriptors WaitExit polls.
type exitWaiter struct {
	ino, pidfd, cancelfd int
	grace                time.Duration
	graceUntil           time.Time // zero while the process is alive
}

type waitEvent struct{ cancelled, timedOut, exited bool }

func (w *exitWaiter) close() {
	if w.pidfd >= 0 {
		unix.Close(w.pidfd)
	}
	if w.cancelfd >= 0 {
		unix.Close(w.cancelfd)
	}
}

// poll sleeps until the context is cancelled, the exit directory changes,
// the process exits, or the grace period after its exit runs out.
func (w *exitWaiter) poll() (waitEvent, error) {
	for {
		fds := []unix.PollFd{{Fd: int32(w.cancelfd), Events: unix.POLLIN}, {Fd: int32(w.ino), Events: unix.POLLIN}}
		if w.pidfd >= 0 {
			fds = append(fds, unix.PollFd{Fd: int32(w.pidfd), Events: unix.POLLIN})
		}
		timeout := -1
		if !w.graceUntil.IsZero() {
			left := time.Until(w.graceUntil)
			if left <= 0 {
				return waitEvent{timedOut: true}, nil
			}
			timeout = int(left/time.Millisecond) + 1
		}
		n, err := unix.Poll(fds, timeout)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return waitEvent{}, fmt.Errorf("poll: %w", err)
		}
		if n == 0 {
			continue // the grace check at the top decides
		}
		if fds[0].Revents != 0 {
			return waitEvent{cancelled: true}, nil
		}
		if len(fds) > 2 && fds[2].Revents != 0 {
			unix.Close(w.pidfd)
			w.pidfd = -1
			w.graceUntil = time.Now().Add(w.grace)
			return waitEvent{exited: true}, nil
		}
		if fds[1].Revents != 0 {
			return waitEvent{}, nil
		}
	}
}

// fileEvent drains the inotify queue and reports whether any event named
// the container's exit file; the directory is shared by all containers.
func (w *exitWaiter) fileEvent(id string) bool {
	var buf [4096]byte
	found := false
	for {
		n, err := unix.Read(w.ino, buf[:])
		if n <= 0 || err != nil {
			return found
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			nameStart := off + unix.SizeofInotifyEvent
			name := string(buf[nameStart : nameStart+int(ev.Len)])
			if ev.Mask&unix.IN_Q_OVERFLOW != 0 || strings.TrimRight(name, "\x00") == id {
				found = true
			}
			off = nameStart + int(ev.Len)
		}
	}
}
