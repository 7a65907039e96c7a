package oci

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// openPty allocates a pseudo-terminal. The master is non-blocking (served
// by the Go poller, so reads honour deadlines); the slave is in raw mode,
// because it only relays bytes between us and the runtime, which does its
// own terminal handling on the container's pty.
func openPty() (master, slave *os.File, err error) {
	mfd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("opening /dev/ptmx: %w", err)
	}
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil {
		unix.Close(mfd)
		return nil, nil, fmt.Errorf("unlocking pty: %w", err)
	}
	sfd, err := openPtyPeer(mfd)
	if err != nil {
		unix.Close(mfd)
		return nil, nil, err
	}
	if _, err := term.MakeRaw(sfd); err != nil {
		unix.Close(mfd)
		unix.Close(sfd)
		return nil, nil, fmt.Errorf("setting pty raw: %w", err)
	}
	if err := unix.SetNonblock(mfd, true); err != nil {
		unix.Close(mfd)
		unix.Close(sfd)
		return nil, nil, err
	}
	return os.NewFile(uintptr(mfd), "pty-master"), os.NewFile(uintptr(sfd), "pty-slave"), nil
}

// openPtyPeer opens the slave side: TIOCGPTPEER avoids a path lookup (and
// works whatever /dev/pts is mounted); older kernels use the pts path.
func openPtyPeer(mfd int) (int, error) {
	fd, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(mfd), unix.TIOCGPTPEER, uintptr(unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC))
	if errno == 0 {
		return int(fd), nil
	}
	n, err := unix.IoctlGetInt(mfd, unix.TIOCGPTN)
	if err != nil {
		return -1, fmt.Errorf("finding pty peer: %w", err)
	}
	sfd, err := unix.Open("/dev/pts/"+strconv.Itoa(n), unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("opening pty peer: %w", err)
	}
	return sfd, nil
}

// setWinsize sets the pty's window size.
func setWinsize(f *os.File, sz TerminalSize) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		ierr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Row: sz.Height, Col: sz.Width})
	}); err != nil {
		return err
	}
	return ierr
}
