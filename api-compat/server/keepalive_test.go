package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// connPair returns both ends of a unix connection.
func connPair(t *testing.T) (server, client *net.UnixConn) {
	t.Helper()
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: filepath.Join(t.TempDir(), "s"), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err = net.DialUnix("unix", nil, l.Addr().(*net.UnixAddr))
	if err != nil {
		t.Fatal(err)
	}
	server, err = l.AcceptUnix()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

// TestCloseServesQueuedRequest drives the race directly: a request is
// queued on an idle connection as the server closes it. It must be served,
// with Connection: close, and anything the client writes afterwards must
// fail at once (EPIPE) rather than vanish.
func TestCloseServesQueuedRequest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.sock")
	l, err := Listen(Endpoint{"unix", path}, ListenOptions{SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv, err := New(Options{Listeners: []net.Listener{l}, Handler: serverRoutes(7, nil)})
	if err != nil {
		t.Fatal(err)
	}
	sc, cc := connPair(t)
	kc := &keepAliveConn{UnixConn: sc, ka: srv.keepAlive, state: http.StateIdle}
	if _, err := io.WriteString(cc, "POST /gen HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(hangTimeout); !queued(sc); {
		if time.Now().After(deadline) {
			t.Fatal("request never queued")
		}
		time.Sleep(time.Millisecond)
	}
	if err := kc.Close(); err != nil {
		t.Fatal(err)
	}
	_ = cc.SetDeadline(time.Now().Add(hangTimeout))
	resp, err := http.ReadResponse(bufio.NewReader(cc), nil)
	if err != nil {
		t.Fatalf("the queued request was lost: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "gen 7" || !resp.Close {
		t.Fatalf("got %s %q close=%v", resp.Status, body, resp.Close)
	}
	if _, err := io.WriteString(cc, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"); !errors.Is(err, syscall.EPIPE) {
		t.Errorf("a write after the close: %v, want EPIPE", err)
	}
	// The rescued request counted as in flight and is done now.
	select {
	case <-srv.tracker.waitIdle():
	case <-time.After(hangTimeout):
		t.Fatal("the rescued connection still counts as busy")
	}
}

func TestCloseIdleWithoutRequest(t *testing.T) {
	sc, cc := connPair(t)
	rescued := false
	ka := newKeepAlive(func(*net.UnixConn) { rescued = true })
	kc := &keepAliveConn{UnixConn: sc, ka: ka, state: http.StateIdle}
	if err := kc.Close(); err != nil {
		t.Fatal(err)
	}
	if rescued {
		t.Error("rescued a connection with nothing queued")
	}
	_ = cc.SetDeadline(time.Now().Add(hangTimeout))
	if n, err := cc.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("client read %d, %v; want EOF", n, err)
	}
	if _, err := io.WriteString(cc, "GET /_ping HTTP/1.1\r\n\r\n"); !errors.Is(err, syscall.EPIPE) {
		t.Errorf("write after close: %v, want EPIPE", err)
	}
}

// TestShutdownRetiresIdle: at shutdown an idle pooled connection is
// retired, not cut: the server closes it cleanly (EOF to the client) and
// Serve returns.
func TestShutdownRetiresIdle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.sock")
	l, err := Listen(Endpoint{"unix", path}, ListenOptions{SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := New(Options{Listeners: []net.Listener{l}, Handler: serverRoutes(1, nil)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	io.WriteString(c, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.Close {
		t.Fatalf("%v close=%v", err, resp != nil && resp.Close)
	}
	io.Copy(io.Discard, resp.Body)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hangTimeout):
		t.Fatal("Serve did not return")
	}
	_ = c.SetDeadline(time.Now().Add(hangTimeout))
	if n, err := br.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("client read %d, %v; want a clean EOF", n, err)
	}
}
