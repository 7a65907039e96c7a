package command

import (
	"os"
	"os/signal"
	"syscall"
)

// ProxySignals catches the signals a user sends an attached CLI and hands
// them over for the container's process, as Docker's --sig-proxy does.
// With a TTY it returns nil: the terminal turns ^C into the container's
// own SIGINT. stop ends the forwarding.
func ProxySignals(tty bool) (signals <-chan syscall.Signal, stop func()) {
	if tty {
		return nil, func() {}
	}
	in := make(chan os.Signal, 8)
	out := make(chan syscall.Signal, 8)
	signal.Notify(in, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-in:
				select {
				case out <- s.(syscall.Signal):
				default:
				}
			}
		}
	}()
	return out, func() { signal.Stop(in); close(done) }
}
