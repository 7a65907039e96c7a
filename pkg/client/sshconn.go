package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SSHOptions tune the ssh transport.
type SSHOptions struct {
	// Identity is the private key file (ssh -i).
	Identity string
	// ExtraArgs are more ssh options, e.g. -o StrictHostKeyChecking=no.
	ExtraArgs []string
	// RemoteCommand is the skiff binary on the remote host (default
	// "skiff", looked up in the remote user's PATH).
	RemoteCommand string
}

// sshArgs is the ssh command line that connects stdio to the remote
// socket through `skiff system dial-stdio` on the other side.
func sshArgs(u URI, o SSHOptions) []string {
	args := []string{"-o", "BatchMode=yes", "-T"}
	if u.Port != 0 {
		args = append(args, "-p", strconv.Itoa(u.Port))
	}
	if o.Identity != "" {
		args = append(args, "-i", o.Identity)
	}
	args = append(args, o.ExtraArgs...)
	dest := u.Host
	if u.User != "" {
		dest = u.User + "@" + u.Host
	}
	remote := o.RemoteCommand
	if remote == "" {
		remote = "skiff"
	}
	args = append(args, "--", dest, remote, "system", "dial-stdio")
	if u.Path != "" {
		args = append(args, "--url", "unix://"+u.Path)
	}
	return args
}

// dialSSH starts ssh and returns its stdio as a connection.
func dialSSH(ctx context.Context, u URI, o SSHOptions) (net.Conn, error) {
	// The command outlives the dial: it is the connection. ctx bounds
	// only the dial, so the process is not tied to it.
	cmd := exec.Command("ssh", sshArgs(u, o)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	// Our own pipe, not cmd.StdoutPipe: Wait closes that one as soon as
	// ssh exits, which can drop the last frames still unread in it.
	stdout, stdoutW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = stdoutW
	c := &cmdConn{cmd: cmd, w: stdin, r: stdout, dest: u.Host, exited: make(chan struct{})}
	cmd.Stderr = &c.stderr
	err = cmd.Start()
	stdoutW.Close()
	if err != nil {
		stdout.Close()
		return nil, fmt.Errorf("starting ssh: %w", err)
	}
	go func() {
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	if err := ctx.Err(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// cmdConn is a net.Conn over a child process's stdin and stdout.
type cmdConn struct {
	cmd     *exec.Cmd
	w       io.WriteCloser
	r       *os.File
	dest    string
	stderr  lockedBuffer
	exited  chan struct{}
	waitErr error
	once    sync.Once
}

func (c *cmdConn) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF && n == 0 {
		if msg := c.failure(); msg != "" {
			return 0, fmt.Errorf("ssh to %s: %s", c.dest, msg)
		}
	}
	return n, err
}

func (c *cmdConn) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil {
		if msg := c.failure(); msg != "" {
			return n, fmt.Errorf("ssh to %s: %s", c.dest, msg)
		}
	}
	return n, err
}

// failure returns ssh's complaint once it has exited with an error.
func (c *cmdConn) failure() string {
	select {
	case <-c.exited:
	case <-time.After(2 * time.Second):
		return ""
	}
	if c.waitErr == nil {
		return ""
	}
	msg := strings.TrimSpace(c.stderr.String())
	if msg == "" {
		msg = c.waitErr.Error()
	}
	return msg
}

// CloseWrite ends the remote side's stdin.
func (c *cmdConn) CloseWrite() error { return c.w.Close() }

func (c *cmdConn) Close() error {
	c.once.Do(func() {
		c.w.Close()
		defer c.r.Close()
		select {
		case <-c.exited:
		case <-time.After(200 * time.Millisecond):
			_ = c.cmd.Process.Kill()
		}
	})
	return nil
}

func (c *cmdConn) LocalAddr() net.Addr                { return sshAddr("local") }
func (c *cmdConn) RemoteAddr() net.Addr               { return sshAddr(c.dest) }
func (c *cmdConn) SetDeadline(t time.Time) error      { return nil }
func (c *cmdConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *cmdConn) SetWriteDeadline(t time.Time) error { return nil }

type sshAddr string

func (a sshAddr) Network() string { return "ssh" }
func (a sshAddr) String() string  { return string(a) }

// lockedBuffer collects ssh's stderr while Read may look at it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
