package systemd

import (
	"fmt"
	"net"
	"os"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/coreos/go-systemd/v22/daemon"
)

// Activated reports whether systemd (or systemd-socket-activate) passed
// sockets to this process: LISTEN_FDS is set and LISTEN_PID names us.
func Activated() bool {
	return os.Getenv("LISTEN_FDS") != "" && os.Getenv("LISTEN_PID") == fmt.Sprint(os.Getpid())
}

// Listeners returns the listening stream sockets systemd passed, in order,
// and unsets LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES so that children do
// not take them for theirs. It returns none when nothing was passed, and an
// error when descriptors were passed but none of them is a listening
// stream socket.
func Listeners() ([]net.Listener, error) {
	passed := Activated()
	all, err := activation.Listeners()
	if err != nil {
		return nil, fmt.Errorf("taking over systemd's sockets: %w", err)
	}
	var out []net.Listener
	for _, l := range all {
		if l != nil {
			out = append(out, l)
		}
	}
	if passed && len(all) > 0 && len(out) == 0 {
		return nil, fmt.Errorf("systemd passed %d file descriptors, none of them a listening stream socket", len(all))
	}
	return out, nil
}

// Notify sends state (e.g. "READY=1", "STOPPING=1") to systemd over
// NOTIFY_SOCKET. Without NOTIFY_SOCKET it does nothing.
func Notify(state string) error {
	if _, err := daemon.SdNotify(false, state); err != nil {
		return fmt.Errorf("sd_notify %s: %w", state, err)
	}
	return nil
}
