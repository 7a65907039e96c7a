package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// Closing an idle keep-alive connection races with a client that reuses it
// at that moment: its request meets a closed socket, and clients do not
// retry a POST that may have been delivered. On unix sockets the server
// settles the race. Before it closes a connection that is between requests
// (net/http's idle timeout, shutdown), it shuts down the connection's
// reading side (shutdown(2) SHUT_RD). From that instant the kernel refuses
// the client's writes with EPIPE: a request sent later fails with nothing
// written, which clients (Go's transport, docker-py, Java's pools) retry
// on a new connection. A request that got in before is still queued: the
// server's read returns it and the request is served (answered with
// "Connection: close"); if the server was already done reading, the
// queued request is served on a duplicate of the connection by a one-off
// server. Only then is the connection closed.
//
// TCP has no such atomic refusal (data that arrives after SHUT_RD is
// dropped silently), so TCP connections close the ordinary way.

// keepAliveConn is an accepted unix connection that closes safely.
type keepAliveConn struct {
	*net.UnixConn
	ka *keepAlive

	mu       sync.Mutex
	state    http.ConnState
	retired  bool          // reading side shut down
	closed   bool          // really closed
	readDone chan struct{} // non-nil while a Read is in progress
	gotData  bool          // a Read returned data since the last idle state
	// drained: Close found no request read on an idle, retired
	// connection; later Reads report end of file without taking bytes
	// that are now the rescue's.
	drained bool
}

func (c *keepAliveConn) Read(p []byte) (int, error) {
	done := make(chan struct{})
	c.mu.Lock()
	if c.drained {
		c.mu.Unlock()
		return 0, io.EOF
	}
	c.readDone = done
	c.mu.Unlock()
	n, err := c.UnixConn.Read(p)
	c.mu.Lock()
	if n > 0 {
		c.gotData = true
	}
	c.readDone = nil
	c.mu.Unlock()
	close(done)
	return n, err
}

// retire refuses further requests on the connection (see above).
func (c *keepAliveConn) retire() {
	c.mu.Lock()
	already := c.retired
	c.retired = true
	c.mu.Unlock()
	if !already {
		_ = c.UnixConn.CloseRead()
	}
}

func (c *keepAliveConn) isRetired() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.retired
}

// Close closes the connection without losing a request that races with
// it (see above). net/http calls it from the connection's goroutine, or
// from Shutdown's while that goroutine may be reading.
func (c *keepAliveConn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	idle := c.state == http.StateIdle
	c.mu.Unlock()
	if !idle {
		return c.closeNow()
	}
	c.retire()
	// A Read blocked in the kernel returns now, with a request that got in
	// before the cut-off or with end of file: wait for it, however loaded
	// the machine (the shutdown guarantees it returns), and decide under
	// the lock so that no Read starts between the decision and the close.
	c.mu.Lock()
	for c.readDone != nil {
		done := c.readDone
		c.mu.Unlock()
		<-done
		c.mu.Lock()
	}
	got := c.gotData
	if !got {
		c.drained = true
	}
	c.mu.Unlock()
	if got {
		// The connection's goroutine holds the request and serves it, then
		// closes the connection again, no longer idle. Should it have given
		// up on a fragment instead, close after a while.
		time.AfterFunc(c.ka.abandonAfter, func() {
			c.mu.Lock()
			stuck := c.state == http.StateIdle
			c.mu.Unlock()
			if stuck {
				_ = c.closeNow()
			}
		})
		return nil
	}
	if queued(c.UnixConn) {
		c.ka.rescue(c.UnixConn)
	}
	return c.closeNow()
}

func (c *keepAliveConn) closeNow() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return c.UnixConn.Close()
}

// queued reports whether unread bytes wait in the connection's receive
// queue.
func queued(c *net.UnixConn) bool {
	rc, err := c.SyscallConn()
	if err != nil {
		return false
	}
	n := 0
	_ = rc.Control(func(fd uintptr) {
		var b [1]byte
		n, _, _ = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	})
	return n > 0
}

// keepAliveListener hands out keepAliveConns.
type keepAliveListener struct {
	net.Listener
	ka *keepAlive
}

func (l *keepAliveListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return c, nil
	}
	kc := &keepAliveConn{UnixConn: uc, ka: l.ka}
	l.ka.add(kc)
	return kc, nil
}

// keepAlive follows the unix connections and retires them all when the
// server shuts down.
type keepAlive struct {
	// rescue serves a request found queued on a connection being closed.
	rescue       func(*net.UnixConn)
	abandonAfter time.Duration

	mu      sync.Mutex
	conns   map[*keepAliveConn]struct{}
	closing bool
}

func newKeepAlive(rescue func(*net.UnixConn)) *keepAlive {
	return &keepAlive{rescue: rescue, abandonAfter: 2 * time.Second, conns: map[*keepAliveConn]struct{}{}}
}

func (k *keepAlive) add(c *keepAliveConn) {
	k.mu.Lock()
	k.conns[c] = struct{}{}
	k.mu.Unlock()
}

// connState follows a connection's state; while shutting down, a
// connection that becomes idle is retired at once.
func (k *keepAlive) connState(nc net.Conn, s http.ConnState) {
	c, ok := nc.(*keepAliveConn)
	if !ok {
		return
	}
	k.mu.Lock()
	if s == http.StateClosed || s == http.StateHijacked {
		delete(k.conns, c)
	}
	closing := k.closing
	k.mu.Unlock()
	c.mu.Lock()
	c.state = s
	if s == http.StateIdle {
		c.gotData = false
	}
	c.mu.Unlock()
	if s == http.StateIdle && closing {
		c.retire()
	}
}

// shutdown retires every idle connection, and from now on every one that
// becomes idle, then waits (up to limit) until none is left idle: each
// closed itself or is serving the request that got in before it retired.
// net/http's Shutdown then finds no idle unix connection to close under a
// reader.
func (k *keepAlive) shutdown(limit time.Duration) {
	k.mu.Lock()
	k.closing = true
	conns := make([]*keepAliveConn, 0, len(k.conns))
	for c := range k.conns {
		conns = append(conns, c)
	}
	k.mu.Unlock()
	for _, c := range conns {
		c.mu.Lock()
		idle := c.state == http.StateIdle
		c.mu.Unlock()
		if idle {
			c.retire()
		}
	}
	deadline := time.Now().Add(limit)
	for k.idleCount() > 0 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
}

func (k *keepAlive) idleCount() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for c := range k.conns {
		c.mu.Lock()
		if c.state == http.StateIdle {
			n++
		}
		c.mu.Unlock()
	}
	return n
}

func (k *keepAlive) isClosing() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.closing
}

type connCtxKey struct{}

// connContext remembers the connection for lastRequest.
func connContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connCtxKey{}, c)
}

// lastRequest reports whether the answer to r must close the connection:
// the server is shutting down or the connection was retired.
func (k *keepAlive) lastRequest(r *http.Request) bool {
	if k == nil {
		return false
	}
	if k.isClosing() {
		return true
	}
	c, ok := r.Context().Value(connCtxKey{}).(*keepAliveConn)
	return ok && c.isRetired()
}

// oneConnListener hands out one connection, then reports closed once that
// connection is closed, so that http.Server.Serve returns.
type oneConnListener struct {
	conn net.Conn
	once sync.Once
	gone chan struct{}
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() { c = l.conn })
	if c != nil {
		return c, nil
	}
	<-l.gone
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

// closeNotifier closes gone when the connection closes.
type closeNotifier struct {
	net.Conn
	once sync.Once
	gone chan struct{}
}

func (c *closeNotifier) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { close(c.gone) })
	return err
}

// dupConn duplicates a unix connection's descriptor.
func dupConn(c *net.UnixConn) (net.Conn, error) {
	f, err := c.File()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	nc, err := net.FileConn(f)
	if err != nil {
		return nil, err
	}
	if _, ok := nc.(*net.UnixConn); !ok {
		nc.Close()
		return nil, errors.New("not a unix connection")
	}
	return nc, nil
}
