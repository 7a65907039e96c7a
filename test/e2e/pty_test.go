package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ptyProc is an engine call whose stdio is the slave side of a pseudo
// terminal that the test drives from the master side, like a user at a shell.
type ptyProc struct {
	t      testing.TB
	master *os.File
	cmd    *exec.Cmd
	cancel context.CancelFunc

	mu      sync.Mutex
	buf     bytes.Buffer // everything read from the master
	cursor  int          // expect() matches only after this offset
	readEOF chan struct{}

	waitOnce sync.Once
	code     int
	exited   chan struct{}
}

// openPTY opens a new pseudo terminal pair without cgo or extra modules.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlockpt: %w", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("ptsname: %w", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

// setSize sets the terminal size as a terminal emulator would on resize;
// the kernel sends SIGWINCH to the foreground process group.
func setSize(f *os.File, rows, cols uint16) error {
	return unix.IoctlSetWinsize(int(f.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
}

// startPTY starts the engine with args on a new terminal of rows x cols,
// as its controlling terminal in a new session.
func (m *Mode) startPTY(t testing.TB, rows, cols uint16, args ...string) *ptyProc {
	t.Helper()
	master, slave, err := openPTY()
	if err != nil {
		t.Fatalf("opening a pty: %v", err)
	}
	// The user owns their terminal, as after a login.
	_ = os.Chown(slave.Name(), m.uid, m.gid)
	if err := setSize(master, rows, cols); err != nil {
		t.Fatalf("setting the pty size: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	c := m.cmd(ctx, args...)
	c.Stdin, c.Stdout, c.Stderr = slave, slave, slave
	c.Env = append(c.Env, "TERM=xterm")
	c.SysProcAttr.Setpgid = false
	c.SysProcAttr.Setsid = true
	c.SysProcAttr.Setctty = true
	c.SysProcAttr.Ctty = 0
	c.Cancel = func() error { return c.Process.Kill() }
	c.WaitDelay = 0
	if err := c.Start(); err != nil {
		cancel()
		t.Fatalf("starting %v: %v", args, err)
	}
	slave.Close() // the child holds it; EOF on the master then means it exited
	p := &ptyProc{t: t, master: master, cmd: c, cancel: cancel, readEOF: make(chan struct{}), exited: make(chan struct{})}
	t.Logf("$ %s (on a %dx%d pty, pid %d)", strings.Join(args, " "), rows, cols, c.Process.Pid)
	go p.readLoop()
	go func() {
		err := c.Wait()
		p.code = exitCode(c, err)
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cancel()
		<-p.exited
		master.Close()
		p.mu.Lock()
		t.Logf("pty transcript of %v:\n%q", args, p.buf.String())
		p.mu.Unlock()
	})
	return p
}

func (p *ptyProc) readLoop() {
	defer close(p.readEOF)
	b := make([]byte, 4096)
	for {
		n, err := p.master.Read(b)
		if n > 0 {
			p.mu.Lock()
			p.buf.Write(b[:n])
			p.mu.Unlock()
		}
		if err != nil {
			return // EIO once every slave fd is closed
		}
	}
}

// send types s on the terminal.
func (p *ptyProc) send(s string) {
	p.t.Helper()
	if _, err := p.master.Write([]byte(s)); err != nil {
		p.t.Fatalf("writing %q to the pty: %v", s, err)
	}
}

// sendKeys types keys one at a time, as a person does; podman only
// recognises detach keys that arrive in separate reads.
func (p *ptyProc) sendKeys(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		p.send(k)
		time.Sleep(100 * time.Millisecond)
	}
}

// expect waits until the output after the last match matches re, and moves
// the cursor past the match. Like every wait here it gives up only after
// defaultTimeout, which catches a hang, not a slow machine.
func (p *ptyProc) expect(re string) string {
	p.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(defaultTimeout)
	for {
		p.mu.Lock()
		tail := p.buf.String()[p.cursor:]
		if loc := rx.FindStringIndex(tail); loc != nil {
			p.cursor += loc[1]
			p.mu.Unlock()
			return tail[loc[0]:loc[1]]
		}
		p.mu.Unlock()
		select {
		case <-p.exited:
			// Let the reader drain what the process wrote last: it sees EOF
			// once every slave fd is closed.
			select {
			case <-p.readEOF:
			case <-time.After(defaultTimeout):
			}
			p.mu.Lock()
			tail = p.buf.String()[p.cursor:]
			p.mu.Unlock()
			if loc := rx.FindStringIndex(tail); loc != nil {
				p.cursor += loc[1]
				return tail[loc[0]:loc[1]]
			}
			p.t.Fatalf("process exited (%d) before output matched %q; output since last match: %q", p.code, re, tail)
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("output did not match %q within %s; output since last match: %q", re, defaultTimeout, tail)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wait waits for the process to exit and returns its exit code.
func (p *ptyProc) wait() int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.code
	case <-time.After(defaultTimeout):
		p.t.Fatalf("process did not exit within %s", defaultTimeout)
		return -1
	}
}

// running reports whether the process is still alive.
func (p *ptyProc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// waitPrompt waits for a shell prompt at the end of the output.
func (p *ptyProc) waitPrompt() {
	p.t.Helper()
	deadline := time.Now().Add(defaultTimeout)
	// busybox ash may follow its prompt with a cursor-position query (ESC[6n)
	// or, after a resize, redraw it and clear the line (ESC[J).
	rx := regexp.MustCompile(`# (\x1b\[[0-9;]*[A-Za-z])*$`)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		tail := p.buf.String()[p.cursor:]
		if rx.MatchString(tail) {
			p.cursor = p.buf.Len()
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		if !p.running() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.mu.Lock()
	tail := p.buf.String()[p.cursor:]
	p.mu.Unlock()
	p.t.Fatalf("no shell prompt within %s; output since last match: %q", defaultTimeout, tail)
}
