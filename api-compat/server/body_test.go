package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// bodyRoutes read bodies the ways real endpoints do.
func bodyRoutes(opts HandlerOptions) HandlerOptions {
	decode := func(w http.ResponseWriter, r *http.Request) {
		var v struct{ Name string }
		if err := DecodeJSON(r, &v); err != nil {
			WriteError(w, err)
			return
		}
		WriteJSON(w, http.StatusOK, v)
	}
	// work works long after reading its body, as create does; it reads
	// again after the end, as a check for trailing data would.
	work := func(w http.ResponseWriter, r *http.Request) {
		var v struct{ Name string }
		if err := DecodeJSON(r, &v); err != nil {
			WriteError(w, err)
			return
		}
		if n, err := r.Body.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			WriteError(w, fmt.Errorf("read past the body: %d, %v", n, err))
			return
		}
		time.Sleep(3 * max(opts.BodyTimeout, opts.BodyIdleTimeout))
		fmt.Fprintf(w, "context: %v", r.Context().Err())
	}
	opts.Docker = []Route{
		{Method: "POST", Pattern: "/decode", Handler: decode},
		{Method: "POST", Pattern: "/work", Handler: work},
		{Method: "POST", Pattern: "/stream-work", Handler: work, Stream: true},
		// An upload, as image load is.
		{Method: "POST", Pattern: "/upload", Stream: true, Handler: func(w http.ResponseWriter, r *http.Request) {
			n, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				WriteError(w, err)
				return
			}
			fmt.Fprintf(w, "read %d", n)
		}},
		// A JSON body, then a hijacked echo stream, as exec start is.
		{Method: "POST", Pattern: "/exec", Stream: true, Handler: func(w http.ResponseWriter, r *http.Request) {
			var v struct{ Name string }
			if err := DecodeJSON(r, &v); err != nil {
				WriteError(w, err)
				return
			}
			conn, rw, err := Hijack(w, r, "application/vnd.docker.raw-stream")
			if err != nil {
				WriteError(w, err)
				return
			}
			defer conn.Close()
			line, _ := rw.ReadString('\n')
			fmt.Fprintf(conn, "%s echo %s", v.Name, line)
		}},
	}
	return opts
}

// rawRequest dials the server, sends a request's headers and returns the
// connection for the caller to send the body.
func rawRequest(t *testing.T, path, target string, contentLength int) net.Conn {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"+
		"Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n", target, contentLength)
	return c
}

// trickle writes a byte of filler every interval until the server answers
// or closes; it returns a func that stops it.
func trickle(c net.Conn, interval time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(interval):
			}
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
		}
	}()
	return func() { close(done) }
}

func readAnswer(t *testing.T, c net.Conn) (int, string) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestBodyTrickleIsCut: a steady trickle that never pauses long enough for
// the idle bound is still cut by the whole-body bound of ordinary routes.
func TestBodyTrickleIsCut(t *testing.T) {
	r := startServer(t, Options{Handler: bodyRoutes(HandlerOptions{BodyTimeout: 300 * time.Millisecond, BodyIdleTimeout: 10 * time.Second})})
	c := rawRequest(t, r.path, "/decode", 1<<20)
	if _, err := io.WriteString(c, `{"Name":"`); err != nil {
		t.Fatal(err)
	}
	defer trickle(c, 10*time.Millisecond)()
	status, body := readAnswer(t, c)
	if status != 400 || body != `{"message":"request body not received within 300ms","cause":"invalid"}` {
		t.Fatalf("answer %d %s", status, body)
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("connection still open after the answer: %v", err)
	}
}

// TestBodyIdleIsCut: a body that stops coming is cut, on ordinary routes
// and on uploads alike.
func TestBodyIdleIsCut(t *testing.T) {
	r := startServer(t, Options{Handler: bodyRoutes(HandlerOptions{BodyTimeout: time.Minute, BodyIdleTimeout: 200 * time.Millisecond})})
	for _, target := range []string{"/decode", "/upload"} {
		t.Run(target, func(t *testing.T) {
			c := rawRequest(t, r.path, target, 100)
			if _, err := io.WriteString(c, `{"Name":"`); err != nil {
				t.Fatal(err)
			}
			status, body := readAnswer(t, c)
			if status != 400 || body != `{"message":"request body: nothing received for 200ms","cause":"invalid"}` {
				t.Fatalf("answer %d %s", status, body)
			}
		})
	}
}

// TestUploadOutlivesBodyTimeout: an upload that keeps coming is never cut
// by the whole-body bound, which is for small JSON bodies only.
func TestUploadOutlivesBodyTimeout(t *testing.T) {
	r := startServer(t, Options{Handler: bodyRoutes(HandlerOptions{BodyTimeout: 50 * time.Millisecond, BodyIdleTimeout: 5 * time.Second})})
	const n = 20
	c := rawRequest(t, r.path, "/upload", n)
	start := time.Now()
	for range n {
		time.Sleep(20 * time.Millisecond)
		if _, err := c.Write([]byte("x")); err != nil {
			t.Fatalf("upload cut after %s: %v", time.Since(start), err)
		}
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("the upload did not outlast the body timeout")
	}
	if status, body := readAnswer(t, c); status != 200 || body != fmt.Sprintf("read %d", n) {
		t.Fatalf("answer %d %s", status, body)
	}
}

// TestBodyDeadlinesEndWithTheBody: once a body is read, neither bound
// touches the request: a long handler keeps its context, and a hijacked
// stream stays open however long it is quiet.
func TestBodyDeadlinesEndWithTheBody(t *testing.T) {
	const bound = 100 * time.Millisecond
	r := startServer(t, Options{Handler: bodyRoutes(HandlerOptions{BodyTimeout: bound, BodyIdleTimeout: bound})})
	body := `{"Name":"a"}`

	for _, target := range []string{"/work", "/stream-work"} {
		c := rawRequest(t, r.path, target, len(body))
		io.WriteString(c, body)
		if status, got := readAnswer(t, c); status != 200 || got != "context: <nil>" {
			t.Fatalf("%s: %d %s", target, status, got)
		}
	}

	c := rawRequest(t, r.path, "/exec", len(body))
	io.WriteString(c, body)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("/exec: %v %v", resp, err)
	}
	time.Sleep(4 * bound) // quiet for longer than either bound
	if _, err := io.WriteString(c, "ping\n"); err != nil {
		t.Fatalf("hijacked stream cut: %v", err)
	}
	got, err := br.ReadString('\n')
	if err != nil || got != "a echo ping\n" {
		t.Fatalf("hijacked stream: %q, %v", got, err)
	}
}
