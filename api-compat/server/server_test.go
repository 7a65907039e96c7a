package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// unixClient is an HTTP client with a keep-alive pool that dials path.
func unixClient(path string) *http.Client {
	return &http.Client{Timeout: hangTimeout, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		},
		IdleConnTimeout: 90 * time.Second, // a typical client pool keeps conns long
	}}
}

// post sends a non-idempotent request, which a client never retries once
// it may have been delivered, and reports the answer and whether the
// pooled connection was reused.
func post(c *http.Client, url string) (body string, reused bool, err error) {
	var info httptrace.GotConnInfo
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) { info = i },
	})
	req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader([]byte(`{"Name":"x"}`)))
	resp, err := c.Do(req)
	if err != nil {
		return "", info.Reused, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		err = fmt.Errorf("status %s: %s", resp.Status, b)
	}
	return string(b), info.Reused, err
}

// serverRoutes are the handlers the lifecycle tests use.
func serverRoutes(gen int, streamRelease <-chan struct{}) HandlerOptions {
	return HandlerOptions{Docker: []Route{
		{Method: "POST", Pattern: "/gen", Handler: func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			fmt.Fprintf(w, "gen %d", gen)
		}},
		{Method: "GET", Pattern: "/stream", Stream: true, Handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			http.NewResponseController(w).Flush()
			select {
			case <-streamRelease:
				fmt.Fprint(w, "stream end")
			case <-r.Context().Done():
			}
		}},
		{Method: "POST", Pattern: "/attach", Stream: true, Handler: func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := Hijack(w, r, "application/vnd.docker.raw-stream")
			if err != nil {
				WriteError(w, err)
				return
			}
			<-streamRelease
			conn.Close()
		}},
	}}
}

// hangTimeout bounds every wait of these tests. It only catches a hang:
// the machine running them may be loaded, so no test decides by the clock
// whether something happened in time. Where an order matters, a gate the
// test opens (or the server's own idle tracker, held) fixes it.
const hangTimeout = time.Minute

// gate is a route whose requests report that they arrived and are answered
// once the test opens the gate: a request in flight exactly as long as the
// test wants.
type gate struct {
	entered chan struct{}
	open    chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 16), open: make(chan struct{})}
}

func (g *gate) route(pattern string) Route {
	return Route{Method: "GET", Pattern: pattern, Handler: func(w http.ResponseWriter, r *http.Request) {
		g.entered <- struct{}{}
		<-g.open
		fmt.Fprint(w, "gate open")
	}}
}

// waitEntered waits until a request has reached the gate.
func (g *gate) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(hangTimeout):
		t.Fatal("no request reached the gate")
	}
}

type running struct {
	srv  *Server
	path string
	done chan error
	// letGo ends the hold startServer put on the idle tracker.
	letGo func()
}

// startServer serves opts (its listener is a fresh unix socket) until the
// test ends. The server is held busy until letGo is called, so that a
// test's first connection never races with the idle exit.
func startServer(t *testing.T, opts Options) *running {
	t.Helper()
	path := filepath.Join(t.TempDir(), "api.sock")
	l, err := Listen(Endpoint{"unix", path}, ListenOptions{SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	opts.Listeners = []net.Listener{l}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &running{srv: srv, path: path, done: make(chan error, 1), letGo: srv.tracker.hold()}
	go func() { r.done <- srv.Serve(context.Background()) }()
	t.Cleanup(func() {
		srv.Close()
		<-r.done
	})
	return r
}

// exited waits up to limit for Serve to return.
func (r *running) exited(limit time.Duration) bool {
	select {
	case err := <-r.done:
		r.done <- err // for Cleanup
		return true
	case <-time.After(limit):
		return false
	}
}

func TestIdleExit(t *testing.T) {
	r := startServer(t, Options{ExitAfter: 400 * time.Millisecond, Handler: serverRoutes(1, nil)})
	// Idle from here on: the exit comes no sooner than 400ms later. Load
	// can only delay it, so only that lower bound is checked.
	start := time.Now()
	r.letGo()
	if !r.exited(hangTimeout) {
		t.Fatal("did not exit once idle")
	}
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Errorf("exited %s after becoming idle, before its 400ms", took)
	}
	if _, err := os.Lstat(r.path); !os.IsNotExist(err) {
		t.Errorf("socket left behind after exit: %v", err)
	}
}

// TestRequestsPostponeExit: a request in flight keeps the server up past
// its idle time, and its end starts the idle time afresh.
func TestRequestsPostponeExit(t *testing.T) {
	g := newGate()
	routes := serverRoutes(1, nil)
	routes.Docker = append(routes.Docker, g.route("/gate"))
	r := startServer(t, Options{ExitAfter: 400 * time.Millisecond, Handler: routes})
	answered := make(chan error, 1)
	go func() {
		resp, err := unixClient(r.path).Get("http://skiff/gate")
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	g.waitEntered(t)
	r.letGo() // only the request keeps the server up now
	time.Sleep(time.Second)
	if r.exited(0) {
		t.Fatal("exited while a request was in flight")
	}
	// Taken before the request can end, so before the idle time restarts.
	before := time.Now()
	close(g.open)
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("the request in flight: %v", err)
		}
	case <-time.After(hangTimeout):
		t.Fatal("the request in flight was never answered")
	}
	if !r.exited(hangTimeout) {
		t.Fatal("did not exit once idle")
	}
	if idle := time.Since(before); idle < 400*time.Millisecond {
		t.Errorf("exited %s after the last request ended, before its 400ms", idle)
	}
}

func TestStreamsKeepAlive(t *testing.T) {
	for _, kind := range []string{"stream", "hijack"} {
		t.Run(kind, func(t *testing.T) {
			release := make(chan struct{})
			r := startServer(t, Options{ExitAfter: 300 * time.Millisecond, Handler: serverRoutes(1, release)})
			c := unixClient(r.path)
			var body io.ReadCloser
			if kind == "stream" {
				resp, err := c.Get("http://skiff/v1.51/stream")
				if err != nil {
					t.Fatal(err)
				}
				body = resp.Body
			} else {
				conn, err := net.Dial("unix", r.path)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprint(conn, "POST /attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil || resp.StatusCode != 101 {
					t.Fatalf("hijack: %v %v", resp, err)
				}
				body = conn
			}
			r.letGo() // only the stream keeps the server up now
			if r.exited(time.Second) {
				t.Fatal("exited while a stream was open")
			}
			close(release)
			_, _ = io.ReadAll(body) // the server ends the stream
			body.Close()
			if !r.exited(hangTimeout) {
				t.Fatal("did not exit after the stream ended")
			}
		})
	}
}

// TestKeepAliveAcrossIdleClose: a pooled connection left idle past the
// server's idle-connection timeout is retired by the server, and the
// client's next request, a POST, gets its answer. The server never exits
// idle here, so however late the test goes on it finds it up.
func TestKeepAliveAcrossIdleClose(t *testing.T) {
	r := startServer(t, Options{IdleConnTimeout: time.Second, Handler: serverRoutes(1, nil)})
	c := unixClient(r.path)
	if _, _, err := post(c, "http://skiff/gen"); err != nil {
		t.Fatal(err)
	}
	if _, reused, err := post(c, "http://skiff/gen"); err != nil || !reused {
		t.Fatalf("keep-alive not in use: reused=%v %v", reused, err)
	}
	r.waitNoConns(t) // the server closed the idle connection
	body, reused, err := post(c, "http://skiff/gen")
	if err != nil || body != "gen 1" {
		t.Fatalf("after the idle close: %q %v", body, err)
	}
	if reused {
		t.Errorf("the idle connection was still open after the idle timeout")
	}
}

// waitNoConns waits until the server holds no connection, busy or idle.
func (r *running) waitNoConns(t *testing.T) {
	t.Helper()
	tr := r.srv.tracker
	deadline := time.Now().Add(hangTimeout)
	for {
		tr.mu.Lock()
		n := len(tr.conns)
		tr.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still holds %d connections", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// activator plays systemd: it owns the listening socket, and whenever a
// client waits on it and no service runs, it starts the next generation on
// a duplicate of the socket.
type activator struct {
	t         *testing.T
	path      string
	exitAfter time.Duration
	gens      atomic.Int32
	ended     atomic.Int32 // generations whose Serve returned
	stop      chan struct{}
	wg        sync.WaitGroup
	mu        sync.Mutex
	seen      map[string]int // request id -> times it ran, over all generations
}

func (a *activator) ran(id string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen[id]
}

func startActivator(t *testing.T, exitAfter time.Duration) *activator {
	a := &activator{t: t, path: filepath.Join(t.TempDir(), "act.sock"), exitAfter: exitAfter, stop: make(chan struct{}),
		seen: map[string]int{}}
	base, err := net.ListenUnix("unix", &net.UnixAddr{Name: a.path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := base.File()
	if err != nil {
		t.Fatal(err)
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer base.Close()
		defer f.Close()
		for {
			fds := []unix.PollFd{{Fd: int32(f.Fd()), Events: unix.POLLIN}}
			n, _ := unix.Poll(fds, 50)
			select {
			case <-a.stop:
				return
			default:
			}
			if n <= 0 {
				continue
			}
			a.runGeneration(f)
		}
	}()
	t.Cleanup(func() { close(a.stop); a.wg.Wait() })
	return a
}

// runGeneration serves one activation until it exits.
func (a *activator) runGeneration(f *os.File) {
	gen := int(a.gens.Add(1))
	l, err := net.FileListener(f) // a dup, like the fd systemd passes
	if err != nil {
		a.t.Error(err)
		return
	}
	ls, err := Adopt([]net.Listener{l}, ListenOptions{})
	if err != nil {
		a.t.Error(err)
		return
	}
	routes := serverRoutes(gen, nil)
	routes.Docker[0].Handler = func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if id := r.URL.Query().Get("id"); id != "" {
			a.mu.Lock()
			a.seen[id]++
			a.mu.Unlock()
		}
		fmt.Fprintf(w, "gen %d", gen)
	}
	srv, err := New(Options{Listeners: ls, ExitAfter: a.exitAfter, Handler: routes})
	if err != nil {
		a.t.Error(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-a.stop
		cancel()
	}()
	_ = srv.Serve(ctx)
	a.ended.Add(1)
}

// waitEnded waits until n generations have exited.
func (a *activator) waitEnded(t *testing.T, n int32) {
	t.Helper()
	deadline := time.Now().Add(hangTimeout)
	for a.ended.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d service generations exited", a.ended.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestKeepAliveAcrossExit: a client keeps its pooled connection across the
// service's idle exit; its next request is answered by the next activation.
func TestKeepAliveAcrossExit(t *testing.T) {
	a := startActivator(t, 600*time.Millisecond)
	c := unixClient(a.path)
	if body, _, err := post(c, "http://skiff/gen"); err != nil || body != "gen 1" {
		t.Fatalf("first: %q %v", body, err)
	}
	a.waitEnded(t, 1)
	if body, _, err := post(c, "http://skiff/gen"); err != nil || body != "gen 2" {
		t.Fatalf("after the exit: %q %v (want the second activation to answer)", body, err)
	}
}

// TestKeepAliveRace hammers the moments when idle connections are closed
// and when the service exits: clients pause for random times around both
// and send POSTs, which a client never retries once they may have been
// delivered. The server's promise: a request that reached it is answered,
// and one that did not is refused before anything was delivered. Go's
// transport reports the second case as "server closed idle connection"
// when it notices the close after picking the connection (golang/go#19943);
// the test checks that such a request never ran, retries it, and wants
// every request to run exactly once. It runs until the service has exited
// a few times (however long a loaded machine takes for that).
func TestKeepAliveRace(t *testing.T) {
	if testing.Short() {
		t.Skip("takes ~10s")
	}
	const wantExits = 4
	exitAfter := 200 * time.Millisecond
	a := startActivator(t, exitAfter)
	var wg sync.WaitGroup
	var total, refused atomic.Int32
	deadline := time.Now().Add(hangTimeout)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := unixClient(a.path)
			for n := 0; a.ended.Load() < wantExits && time.Now().Before(deadline); n++ {
				id := fmt.Sprintf("c%d-%d", i, n)
				total.Add(1)
				for {
					_, _, err := post(c, "http://skiff/gen?id="+id)
					if err == nil {
						break
					}
					if !strings.Contains(err.Error(), "server closed idle connection") {
						t.Errorf("request %s failed: %v", id, err)
						break
					}
					if a.ran(id) > 0 {
						t.Errorf("request %s ran but its client got %v", id, err)
						break
					}
					refused.Add(1)
				}
				// Pauses spread over [0, 3 × exitAfter]: many land on the
				// idle-connection close (exitAfter/2) and on the exit.
				time.Sleep(time.Duration(rand.Int64N(int64(exitAfter) * 3)))
			}
		}()
	}
	wg.Wait()
	a.mu.Lock()
	for id, n := range a.seen {
		if n != 1 {
			t.Errorf("request %s ran %d times", id, n)
		}
	}
	ran := len(a.seen)
	a.mu.Unlock()
	if ran != int(total.Load()) {
		t.Errorf("%d requests sent, %d ran", total.Load(), ran)
	}
	t.Logf("%d requests, %d refused before delivery and retried, %d activations", total.Load(), refused.Load(), a.gens.Load())
	if a.ended.Load() < wantExits {
		t.Errorf("the service exited only %d times in %s: the race was hardly exercised", a.ended.Load(), hangTimeout)
	}
}

// TestGracefulShutdown: on cancel (SIGTERM) the server stops accepting,
// finishes the request in flight, keeps an open stream until it ends.
func TestGracefulShutdown(t *testing.T) {
	release := make(chan struct{})
	path := filepath.Join(t.TempDir(), "api.sock")
	l, err := Listen(Endpoint{"unix", path}, ListenOptions{SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	g := newGate()
	routes := serverRoutes(1, release)
	routes.Docker = append(routes.Docker, g.route("/gate"))
	srv, err := New(Options{Listeners: []net.Listener{l}, Handler: routes})
	if err != nil {
		t.Fatal(err)
	}
	shutdownBegan := make(chan struct{})
	srv.http.RegisterOnShutdown(func() { close(shutdownBegan) })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	c := unixClient(path)
	stream, err := c.Get("http://skiff/stream")
	if err != nil {
		t.Fatal(err)
	}
	inFlight := make(chan string, 1)
	go func() {
		resp, err := unixClient(path).Get("http://skiff/gate")
		if err != nil {
			inFlight <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		inFlight <- string(b) + " close=" + fmt.Sprint(resp.Close)
	}()
	g.waitEntered(t)
	cancel()
	// The request in flight ends once net/http's Shutdown has begun (the
	// listeners are closed by then), however long the server took to get
	// there.
	select {
	case <-shutdownBegan:
	case <-time.After(hangTimeout):
		t.Fatal("the shutdown never reached net/http")
	}
	if _, err := net.Dial("unix", path); err == nil {
		t.Error("still accepting after shutdown began")
	}
	close(g.open)
	if got := <-inFlight; got != "gate open close=true" {
		t.Errorf("request in flight at shutdown: %q", got)
	}
	select {
	case <-done:
		t.Fatal("returned while a stream was open")
	default:
	}
	close(release)
	b, _ := io.ReadAll(stream.Body)
	if !strings.Contains(string(b), "stream end") {
		t.Errorf("stream: %q", b)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hangTimeout):
		t.Fatal("did not return after the stream ended")
	}
}

// TestCloseCutsStreams: a second signal (Close) ends a graceful shutdown
// that waits on a stream.
func TestCloseCutsStreams(t *testing.T) {
	r := startServer(t, Options{Handler: serverRoutes(1, make(chan struct{}))})
	conn, err := net.Dial("unix", r.path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "POST /attach HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, err := http.ReadResponse(bufio.NewReader(conn), nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("hijack without upgrade: %v %v", resp, err)
	}
	r.srv.Close()
	if !r.exited(hangTimeout) {
		t.Fatal("Close did not end Serve")
	}
}

func TestNotify(t *testing.T) {
	var mu sync.Mutex
	var states []string
	path := filepath.Join(t.TempDir(), "api.sock")
	l, err := Listen(Endpoint{"unix", path}, ListenOptions{SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := New(Options{Listeners: []net.Listener{l}, ExitAfter: 100 * time.Millisecond, Handler: serverRoutes(1, nil),
		Notify: func(s string) error { mu.Lock(); states = append(states, s); mu.Unlock(); return nil }})
	if err := srv.Serve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Join(states, ",") != "READY=1,STOPPING=1" {
		t.Errorf("notified %v", states)
	}
}
