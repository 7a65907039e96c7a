package compat

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ptyProc is a docker CLI call whose stdio is a pseudo terminal the test
// drives from the master side, like a user at a terminal.
type ptyProc struct {
	t      testing.TB
	master *os.File
	cmd    *exec.Cmd
	cancel context.CancelFunc

	mu     sync.Mutex
	buf    bytes.Buffer
	cursor int

	code   int
	exited chan struct{}
}

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

// setSize resizes the terminal as an emulator does; the kernel sends
// SIGWINCH to the foreground process group (the docker CLI), which then
// calls the resize endpoint.
func setSize(f *os.File, rows, cols uint16) error {
	return unix.IoctlSetWinsize(int(f.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols})
}

// startPTY runs the docker CLI with args on a rows x cols terminal that is
// its controlling terminal.
func (md *mode) startPTY(t testing.TB, rows, cols uint16, args ...string) *ptyProc {
	t.Helper()
	master, slave, err := openPTY()
	if err != nil {
		t.Fatalf("opening a pty: %v", err)
	}
	if err := setSize(master, rows, cols); err != nil {
		t.Fatalf("setting the pty size: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	c := md.dockerCmd(ctx, args...)
	c.Env = append(c.Env, "TERM=xterm")
	c.Stdin, c.Stdout, c.Stderr = slave, slave, slave
	c.SysProcAttr = &unix.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	c.WaitDelay = 0
	if err := c.Start(); err != nil {
		cancel()
		t.Fatalf("starting docker %v: %v", args, err)
	}
	slave.Close()
	p := &ptyProc{t: t, master: master, cmd: c, cancel: cancel, exited: make(chan struct{})}
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
		t.Logf("[%s] pty transcript of docker %v:\n%q", md.name, args, p.buf.String())
		p.mu.Unlock()
	})
	return p
}

func (p *ptyProc) readLoop() {
	b := make([]byte, 4096)
	for {
		n, err := p.master.Read(b)
		if n > 0 {
			p.mu.Lock()
			p.buf.Write(b[:n])
			p.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// expect waits until the output after the cursor matches re and moves the
// cursor past the match.
func (p *ptyProc) expect(re string) []string {
	p.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(hangTimeout)
	for {
		p.mu.Lock()
		rest := p.buf.String()[p.cursor:]
		loc := rx.FindStringSubmatchIndex(rest)
		if loc != nil {
			m := rx.FindStringSubmatch(rest)
			p.cursor += loc[1]
			p.mu.Unlock()
			return m
		}
		p.mu.Unlock()
		if time.Now().After(deadline) {
			p.t.Fatalf("no %q on the terminal within %s; after the cursor: %q", re, hangTimeout, rest)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *ptyProc) send(s string) {
	p.t.Helper()
	if _, err := p.master.Write([]byte(s)); err != nil {
		p.t.Fatalf("writing to the pty: %v", err)
	}
}

// wait waits for the CLI to exit and returns its code.
func (p *ptyProc) wait() int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.code
	case <-time.After(hangTimeout):
		p.t.Fatalf("docker did not exit within %s", hangTimeout)
	}
	return -1
}
