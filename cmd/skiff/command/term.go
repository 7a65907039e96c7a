package command

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// Terminal is the CLI's own terminal while attached to a container's TTY:
// raw mode, the initial size, and size changes from SIGWINCH.
type Terminal struct {
	restore func()
	Size    *engine.TerminalSize
	Resize  <-chan engine.TerminalSize
}

// SetupTerminal puts stdin in raw mode when the container has a TTY and
// stdin is a terminal, and starts forwarding window size changes. Close
// must be called to restore the terminal.
func SetupTerminal(ctx context.Context, tty bool) (*Terminal, error) {
	t := &Terminal{restore: func() {}}
	if !tty {
		return t, nil
	}
	outFd := int(os.Stdout.Fd())
	if !term.IsTerminal(outFd) {
		outFd = int(os.Stdin.Fd())
	}
	if s, ok := size(outFd); ok {
		t.Size = &s
	}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		old, err := term.MakeRaw(int(os.Stdin.Fd()))
		if err != nil {
			return nil, err
		}
		t.restore = func() { term.Restore(int(os.Stdin.Fd()), old) }
	}
	ch := make(chan engine.TerminalSize, 4)
	winch := make(chan os.Signal, 4)
	signal.Notify(winch, syscall.SIGWINCH)
	go func() {
		defer signal.Stop(winch)
		for {
			select {
			case <-ctx.Done():
				return
			case <-winch:
				if s, ok := size(outFd); ok {
					select {
					case ch <- s:
					default:
					}
				}
			}
		}
	}()
	t.Resize = ch
	return t, nil
}

func size(fd int) (engine.TerminalSize, bool) {
	w, h, err := term.GetSize(fd)
	if err != nil || w <= 0 || h <= 0 {
		return engine.TerminalSize{}, false
	}
	return engine.TerminalSize{Height: uint16(h), Width: uint16(w)}, true
}

// Close restores the terminal.
func (t *Terminal) Close() { t.restore() }

// notATTY is Docker's refusal to attach a container's terminal to an
// input that is not one. skiff exits 125 with it, the code of Podman's
// engine errors (Docker's CLI exits 1).
const notATTY = "the input device is not a TTY"

// CheckTTY refuses, as Docker's run, exec and attach do, to connect the
// caller's stdin to a container's terminal when stdin is not a terminal
// itself (a pipe, a file, /dev/null): raw mode, window sizes and the
// detach keys all need one. The check is the client's: in remote mode too
// it is about this process's stdin.
func CheckTTY(attachStdin, tty bool) error {
	if !tty || !attachStdin || term.IsTerminal(int(os.Stdin.Fd())) {
		return nil
	}
	return Invalid(notATTY)
}
