package oci

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// conmon's stream tags: the first byte of every attach packet.
const (
	streamStdout = 2
	streamStderr = 3
)

// attachPacketSize is conmon's largest packet: one tag byte plus 8192 bytes
// of output.
const attachPacketSize = 8192 + 1

// sunPathMax is the room for a socket path in struct sockaddr_un, counting
// the terminating NUL.
const sunPathMax = 108

// TerminalSize is a terminal's size in character cells.
type TerminalSize struct{ Height, Width uint16 }

// AttachStreams are the caller's ends of an attach or exec session.
type AttachStreams struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer // a nil writer discards that stream
	// Tty says the container has a terminal: all output arrives as stdout.
	Tty bool
	// DetachKeys typed on Stdin end the session with errdefs.ErrDetached;
	// nil disables detaching. ParseDetachKeys builds them.
	DetachKeys []byte
	// KeepStdinOpen leaves the container's stdin open when Stdin reaches
	// EOF; by default the end of Stdin is passed on as EOF.
	KeepStdinOpen bool
	// Resize carries terminal size changes; the session applies each one
	// until the channel closes or the session ends.
	Resize <-chan TerminalSize
}

// AttachConn is a connection to a container's conmon attach socket.
type AttachConn struct {
	conn   *net.UnixConn
	bundle string
	once   sync.Once
}

// OpenAttach connects to conmon's attach socket in bundle. Connect before
// StartContainer to see all output: conmon relays live output only.
func OpenAttach(bundle string) (*AttachConn, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("attaching to %s: %w", bundle, err)
	}
	if err := connectAttach(fd, bundle); err != nil {
		unix.Close(fd)
		if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ECONNREFUSED) {
			return nil, fmt.Errorf("attaching to %s: %w: %w", bundle, err, errdefs.ErrCtrNotRunning)
		}
		return nil, fmt.Errorf("attaching to %s: %w", bundle, err)
	}
	f := os.NewFile(uintptr(fd), "attach")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("attaching to %s: %w", bundle, err)
	}
	return &AttachConn{conn: c.(*net.UnixConn), bundle: bundle}, nil
}

// connectAttach connects fd to <bundle>/attach, going through the bundle's
// directory descriptor when the path is too long for a socket address.
func connectAttach(fd int, bundle string) error {
	path := filepath.Join(bundle, attachName)
	if len(path) >= sunPathMax {
		dir, err := unix.Open(bundle, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(dir)
		path = "/proc/self/fd/" + strconv.Itoa(dir) + "/" + attachName
	}
	return unix.Connect(fd, &unix.SockaddrUnix{Name: path})
}

// Close closes the connection. conmon then stops sending to it; with a
// stdin pipe (and no LeaveStdinOpen) it also closes the container's stdin.
func (a *AttachConn) Close() error {
	var err error
	a.once.Do(func() { err = a.conn.Close() })
	return err
}

// Copy runs the session: container output to s.Stdout and s.Stderr, s.Stdin
// to the container, s.Resize to the terminal. It returns nil when conmon
// closes the socket (the container exited), an error wrapping
// errdefs.ErrDetached when the detach keys were typed, or the context's
// error. It closes the connection before returning. A Stdin that never
// returns from Read keeps one goroutine blocked after Copy returns.
func (a *AttachConn) Copy(ctx context.Context, s AttachStreams) error {
	defer a.Close()
	done := make(chan struct{})
	defer close(done)

	// A size queued before the session starts (the caller's initial
	// terminal size) is applied before any input is forwarded, so the
	// first command the container reads already sees it.
	if s.Resize != nil {
		resize := func(sz TerminalSize) error { return ResizeTerminal(a.bundle, sz.Height, sz.Width) }
		applyQueuedSize(s.Resize, resize)
		go forwardResize(done, s.Resize, resize)
	}
	outDone := make(chan error, 1)
	go func() { outDone <- a.copyOutput(s) }()
	var inDone chan error
	if s.Stdin != nil {
		inDone = make(chan error, 1)
		go func() { inDone <- a.copyInput(s) }()
	}
	for {
		select {
		case err := <-outDone:
			return err
		case err := <-inDone:
			if err != nil {
				return err
			}
			inDone = nil // stdin ended; output goes on until the container exits
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// copyOutput demultiplexes conmon's packets until conmon closes the socket.
func (a *AttachConn) copyOutput(s AttachStreams) error {
	buf := make([]byte, attachPacketSize)
	for {
		n, err := a.conn.Read(buf)
		if n > 1 {
			w := s.Stdout
			if buf[0] == streamStderr && !s.Tty {
				w = s.Stderr
			}
			if w != nil {
				if _, werr := w.Write(buf[1:n]); werr != nil {
					return fmt.Errorf("attach: writing output: %w", werr)
				}
			}
		}
		if errors.Is(err, io.EOF) || (err == nil && n == 0) || errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("attach: reading output: %w", err)
		}
	}
}

// copyInput forwards stdin, watching for the detach keys. It returns an
// error only for a detach; a broken socket means the container is going
// away, which copyOutput reports.
func (a *AttachConn) copyInput(s AttachStreams) error {
	scanner := detachScanner{keys: s.DetachKeys}
	buf := make([]byte, 8192)
	for {
		n, err := s.Stdin.Read(buf)
		if n > 0 {
			out, detached := scanner.scan(buf[:n])
			if len(out) > 0 {
				if _, werr := a.conn.Write(out); werr != nil {
					logrus.Debugf("attach: writing stdin: %v", werr)
					return nil
				}
			}
			if detached {
				return fmt.Errorf("detach keys typed: %w", errdefs.ErrDetached)
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) && !s.KeepStdinOpen {
				if cerr := a.conn.CloseWrite(); cerr != nil {
					logrus.Debugf("attach: closing stdin: %v", cerr)
				}
			} else if !errors.Is(err, io.EOF) {
				logrus.Debugf("attach: reading stdin: %v", err)
			}
			return nil
		}
	}
}

// applyQueuedSize applies a size already waiting in ch, without blocking.
func applyQueuedSize(ch <-chan TerminalSize, apply func(TerminalSize) error) {
	select {
	case sz, ok := <-ch:
		if ok {
			if err := apply(sz); err != nil {
				logrus.Debugf("resizing terminal: %v", err)
			}
		}
	default:
	}
}

// forwardResize applies sizes from ch until done closes or ch closes.
func forwardResize(done <-chan struct{}, ch <-chan TerminalSize, apply func(TerminalSize) error) {
	for {
		select {
		case <-done:
			return
		case sz, ok := <-ch:
			if !ok {
				return
			}
			if err := apply(sz); err != nil {
				logrus.Debugf("resizing terminal: %v", err)
			}
		}
	}
}

// ResizeTerminal asks conmon to resize the container's terminal through the
// ctl FIFO in bundle. It fails with errdefs.ErrCtrNotRunning when no conmon
// is reading the FIFO.
func ResizeTerminal(bundle string, height, width uint16) error {
	// O_NONBLOCK: opening a FIFO nobody reads fails at once (ENXIO)
	// instead of hanging on a dead container.
	f, err := os.OpenFile(filepath.Join(bundle, ctlName), os.O_WRONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, unix.ENXIO) || errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("resizing terminal: %w: %w", err, errdefs.ErrCtrNotRunning)
		}
		return fmt.Errorf("resizing terminal: %w", err)
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "1 %d %d\n", height, width); err != nil {
		return fmt.Errorf("resizing terminal: %w", err)
	}
	return nil
}
