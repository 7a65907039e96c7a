package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// testRoutes exercise the middleware: each reports what the handler saw.
func testRoutes() HandlerOptions {
	echo := func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{
			"path": r.URL.Path, "version": APIVersion(r), "id": r.PathValue("id"),
		})
	}
	decode := func(w http.ResponseWriter, r *http.Request) {
		var v struct{ Name string }
		if err := DecodeJSON(r, &v); err != nil {
			WriteError(w, err)
			return
		}
		WriteJSON(w, http.StatusOK, v)
	}
	raw := func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, RawBody(r))
		if err != nil {
			WriteError(w, err)
			return
		}
		WriteJSON(w, http.StatusOK, map[string]int64{"n": n})
	}
	return HandlerOptions{
		ServerVersion: "9.9.9",
		BodyLimit:     64,
		Docker: []Route{
			{Method: "GET", Pattern: "/containers/{id}/json", Handler: echo},
			{Method: "GET", Pattern: "/version", Handler: echo},
			{Method: "POST", Pattern: "/decode", Handler: decode},
			{Method: "POST", Pattern: "/stream", Handler: decode, Stream: true},
			{Method: "PUT", Pattern: "/raw", Handler: raw},
			{Method: "GET", Pattern: "/panic", Handler: func(w http.ResponseWriter, r *http.Request) { panic("boom") }},
			{Method: "GET", Pattern: "/panic-late", Handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				panic("late boom")
			}},
			{Method: "GET", Pattern: "/error", Handler: func(w http.ResponseWriter, r *http.Request) {
				WriteError(w, fmt.Errorf("No such container: x: %w", errdefs.ErrNoSuchContainer))
			}},
			{Method: "POST", Pattern: "/started", Handler: func(w http.ResponseWriter, r *http.Request) {
				WriteError(w, errdefs.ErrAlreadyStarted)
			}},
		},
		Native: []Route{
			{Method: "GET", Pattern: "/skiff/v1/ping", Handler: echo},
		},
	}
}

type answer struct {
	status int
	header http.Header
	body   string
}

// do sends body, if any, as application/json, as Docker clients do.
func do(t *testing.T, h http.Handler, method, target, body string) answer {
	t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	return doType(t, h, method, target, ct, body)
}

// doType sends body with the given Content-Type ("" sends none).
func doType(t *testing.T, h http.Handler, method, target, contentType, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return answer{status: w.Code, header: w.Header(), body: w.Body.String()}
}

func TestRouting(t *testing.T) {
	h := NewHandler(testRoutes())
	cases := []struct {
		name, method, target string
		status               int
		bodyHas              string
	}{
		{"unversioned", "GET", "/version", 200, `"version":"1.51"`},
		{"versioned", "GET", "/v1.44/version", 200, `"path":"/version","version":"1.44"`},
		{"oldest", "GET", "/v1.24/version", 200, `"version":"1.24"`},
		{"newest", "GET", "/v1.51/version", 200, `"version":"1.51"`},
		{"newer than ours", "GET", "/v1.52/version", 400, "client version 1.52 is too new. Maximum supported API version is 1.51"},
		{"much newer", "GET", "/v99.99/version", 400, `{"message":"client version 99.99 is too new. Maximum supported API version is 1.51","cause":"invalid"}`},
		{"too old", "GET", "/v1.23/version", 400, "client version 1.23 is too old. Minimum supported API version is 1.24"},
		{"much too old", "GET", "/v0.99/version", 400, "too old"},
		{"huge version", "GET", "/v1.99999999999999999999/version", 400, "invalid API version"},
		{"path value", "GET", "/v1.51/containers/abc/json", 200, `"id":"abc"`},
		{"escaped path value", "GET", "/v1.51/containers/a%2Fb/json", 200, `"id":"a/b"`},
		{"unknown", "GET", "/v1.51/nothing", 404, `{"message":"page not found","cause":"not-found"}`},
		{"unknown unversioned", "GET", "/nothing", 404, "page not found"},
		{"wrong method", "DELETE", "/version", 404, "page not found"},
		{"version alone", "GET", "/v1.51", 404, "page not found"},
		{"native", "GET", "/skiff/v1/ping", 200, `"version":"1.51"`},
		{"native is not versioned", "GET", "/v1.51/skiff/v1/ping", 404, "page not found"},
		{"docker route not under native", "GET", "/skiff/version", 404, "page not found"},
		{"error class", "GET", "/error", 404, `"message":"No such container: x: no such container","cause":"not-found"`},
		{"HEAD on GET route", "HEAD", "/version", 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, h, c.method, c.target, "")
			if a.status != c.status || !strings.Contains(a.body, c.bodyHas) {
				t.Fatalf("%s %s: got %d %q, want %d containing %q", c.method, c.target, a.status, a.body, c.status, c.bodyHas)
			}
			if a.status >= 400 && a.header.Get("Content-Type") != "application/json" {
				t.Errorf("error Content-Type %q, want application/json", a.header.Get("Content-Type"))
			}
			for k, v := range map[string]string{"Api-Version": "1.51", "Ostype": "linux", "Docker-Experimental": "false", "Server": "skiff/9.9.9"} {
				if got := a.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestPing(t *testing.T) {
	h := NewHandler(testRoutes())
	for _, target := range []string{"/_ping", "/v1.51/_ping", "/v1.24/_ping"} {
		for _, method := range []string{"GET", "HEAD"} {
			a := do(t, h, method, target, "")
			want := "OK"
			if method == "HEAD" {
				want = ""
			}
			if a.status != 200 || a.body != want {
				t.Errorf("%s %s: %d %q, want 200 %q", method, target, a.status, a.body, want)
			}
			for k, v := range map[string]string{
				"Api-Version": "1.51", "Builder-Version": "1", "Swarm": "inactive", "Ostype": "linux",
				"Cache-Control": "no-cache, no-store, must-revalidate", "Pragma": "no-cache", "Docker-Experimental": "false",
			} {
				if got := a.header.Get(k); got != v {
					t.Errorf("%s %s: header %s = %q, want %q", method, target, k, got, v)
				}
			}
		}
	}
	if a := do(t, h, "POST", "/_ping", ""); a.status != 404 {
		t.Errorf("POST /_ping: %d, want 404", a.status)
	}
}

// TestContentType checks moby's CheckForJSON rules on every decoded body.
func TestContentType(t *testing.T) {
	h := NewHandler(testRoutes())
	cases := []struct {
		name, contentType, body string
		status                  int
		bodyHas                 string
	}{
		{"json", "application/json", `{"Name":"a"}`, 200, `"Name":"a"`},
		{"json with charset", "application/json; charset=utf-8", `{"Name":"a"}`, 200, `"Name":"a"`},
		{"no type and no body", "", "", 400, "empty request body"},
		{"text/plain", "text/plain", `{"Name":"a"}`, 400,
			`{"message":"unsupported Content-Type header (text/plain): must be 'application/json'","cause":"invalid"}`},
		{"text/plain without body", "text/plain", "", 400, "unsupported Content-Type header (text/plain)"},
		{"form", "application/x-www-form-urlencoded", `{"Name":"a"}`, 400, "unsupported Content-Type header (application/x-www-form-urlencoded)"},
		{"body without type", "", `{"Name":"a"}`, 400, "malformed Content-Type header (): mime: no media type"},
		{"malformed", "application/json; =", `{"Name":"a"}`, 400, "malformed Content-Type header (application/json; =)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, target := range []string{"/decode", "/v1.44/decode", "/stream"} {
				a := doType(t, h, "POST", target, c.contentType, c.body)
				if a.status != c.status || !strings.Contains(a.body, c.bodyHas) {
					t.Fatalf("%s: got %d %q, want %d containing %q", target, a.status, a.body, c.status, c.bodyHas)
				}
			}
		})
	}
}

func TestDecodeAndLimits(t *testing.T) {
	h := NewHandler(testRoutes())
	big := `{"Name":"` + strings.Repeat("x", 100) + `"}`
	cases := []struct {
		name, method, target, body string
		status                     int
		bodyHas                    string
	}{
		{"ok", "POST", "/decode", `{"Name":"a"}`, 200, `"Name":"a"`},
		{"unknown fields tolerated", "POST", "/decode", `{"Name":"a","Future":{"x":1}}`, 200, `"Name":"a"`},
		{"malformed", "POST", "/decode", `{"Name":`, 400, "invalid JSON in request body: unexpected end of input"},
		{"syntax", "POST", "/decode", `{"Name" 1}`, 400, "invalid JSON in request body: invalid character '1'"},
		{"wrong type", "POST", "/decode", `{"Name":5}`, 400, "cannot unmarshal number"},
		{"empty", "POST", "/decode", ``, 400, "empty request body"},
		{"over the limit", "POST", "/decode", big, 400, "request body larger than 64 bytes"},
		{"stream routes are not limited", "POST", "/stream", big, 200, `"Name":"xxxx`},
		{"raw body escapes the limit", "PUT", "/raw", big, 200, `"n":111`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, h, c.method, c.target, c.body)
			if a.status != c.status || !strings.Contains(a.body, c.bodyHas) {
				t.Fatalf("got %d %q, want %d containing %q", a.status, a.body, c.status, c.bodyHas)
			}
			if c.status == 400 && !strings.Contains(a.body, `"cause":"invalid"`) {
				t.Errorf("want cause invalid: %s", a.body)
			}
		})
	}
	r := httptest.NewRequest("POST", "/x", strings.NewReader("{"))
	r.Header.Set("Content-Type", "application/json")
	if err := DecodeJSON(r, &struct{}{}); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("DecodeJSON error %v is not ErrInvalidArg", err)
	}
	r = httptest.NewRequest("POST", "/x", nil)
	if err := DecodeJSON(r, &struct{}{}); !errors.Is(err, ErrEmptyBody) || !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("DecodeJSON of no body: %v", err)
	}
}

func TestWriteError(t *testing.T) {
	h := NewHandler(testRoutes())
	a := do(t, h, "POST", "/started", "")
	if a.status != 304 || a.body != "" {
		t.Errorf("304: got %d %q, want no body", a.status, a.body)
	}
	cases := []struct {
		err    error
		status int
		cause  string
	}{
		{fmt.Errorf("x: %w", errdefs.ErrNameInUse), 409, "conflict"},
		{fmt.Errorf("x: %w", errdefs.ErrInvalidArg), 400, "invalid"},
		{errors.New("plain"), 500, "unknown"},
		{errdefs.ErrNotImplemented, 501, "not-implemented"},
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		WriteError(w, c.err)
		var body ErrorBody
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if w.Code != c.status || body.Message != c.err.Error() || body.Cause != c.cause || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%v: got %d %+v %q", c.err, w.Code, body, w.Header().Get("Content-Type"))
		}
	}
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// captureLog sends logrus output to a buffer at level for the test.
// Tests using it must not run in parallel.
func captureLog(t *testing.T, level logrus.Level) *syncBuffer {
	buf := &syncBuffer{}
	out, lvl := logrus.StandardLogger().Out, logrus.GetLevel()
	logrus.SetOutput(buf)
	logrus.SetLevel(level)
	t.Cleanup(func() { logrus.SetOutput(out); logrus.SetLevel(lvl) })
	return buf
}

func TestPanicRecovery(t *testing.T) {
	log := captureLog(t, logrus.InfoLevel)
	srv := httptest.NewServer(NewHandler(testRoutes()))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1.51/panic")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/json" ||
		!strings.Contains(string(body), `"message":"internal server error: boom"`) {
		t.Errorf("panic: got %d %q", resp.StatusCode, body)
	}
	if !strings.Contains(log.String(), "panic serving GET /v1.51/panic: boom") || !strings.Contains(log.String(), "goroutine") {
		t.Errorf("panic not logged with its stack: %q", log.String())
	}
	// A panic after the headers went out cuts the response.
	if resp, err := http.Get(srv.URL + "/panic-late"); err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.ContentLength != 0 {
			t.Errorf("late panic: response was not cut")
		}
	}
	// And the service still serves.
	resp, err = http.Get(srv.URL + "/_ping")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after panics: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestAccessLog(t *testing.T) {
	log := captureLog(t, logrus.DebugLevel)
	h := NewHandler(testRoutes())
	do(t, h, "GET", "/v1.51/containers/abc/json?all=1", "")
	do(t, h, "GET", "/nothing", "")
	for _, want := range []string{"api: GET /v1.51/containers/abc/json?all=1 200 ", "api: GET /nothing 404 "} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("access log lacks %q: %q", want, log.String())
		}
	}
	log = captureLog(t, logrus.InfoLevel)
	do(t, h, "GET", "/_ping", "")
	if log.String() != "" {
		t.Errorf("access log above debug: %q", log.String())
	}
}

func TestHijack(t *testing.T) {
	opts := testRoutes()
	opts.Docker = append(opts.Docker, Route{Method: "POST", Pattern: "/containers/{id}/attach", Stream: true,
		Handler: func(w http.ResponseWriter, r *http.Request) {
			conn, rw, err := Hijack(w, r, "application/vnd.docker.raw-stream")
			if err != nil {
				WriteError(w, err)
				return
			}
			defer conn.Close()
			// Echo stdin until the client half-closes, then say bye.
			_, _ = io.Copy(rw, rw.Reader)
			_, _ = rw.WriteString("bye")
			_ = rw.Flush()
			if cw, ok := conn.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
			}
		}})
	srv := httptest.NewServer(NewHandler(opts))
	defer srv.Close()
	for _, upgrade := range []bool{true, false} {
		t.Run(fmt.Sprint("upgrade=", upgrade), func(t *testing.T) {
			conn, err := (&netDialer{}).dial(srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			req := "POST /v1.51/containers/x/attach?stream=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
			if upgrade {
				req += "Connection: Upgrade\r\nUpgrade: tcp\r\n"
			}
			if _, err := io.WriteString(conn, req+"\r\nhello"); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus := 200
			if upgrade {
				wantStatus = 101
			}
			if resp.StatusCode != wantStatus || resp.Header.Get("Content-Type") != "application/vnd.docker.raw-stream" ||
				resp.Header.Get("Api-Version") != "1.51" {
				t.Fatalf("got %s %v", resp.Status, resp.Header)
			}
			if upgrade && (resp.Status != "101 UPGRADED" || resp.Header.Get("Upgrade") != "tcp" || resp.Header.Get("Connection") != "Upgrade") {
				t.Fatalf("upgrade answer: %s %v", resp.Status, resp.Header)
			}
			conn.(interface{ CloseWrite() error }).CloseWrite()
			rest, err := io.ReadAll(br)
			if err != nil || string(rest) != "hellobye" {
				t.Fatalf("stream: %q %v", rest, err)
			}
		})
	}
}

// FuzzDecodeJSON: any body decodes or fails as a 400 with a one-line
// message; nothing panics.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"Name":"a"}`, `{"Name":`, ``, `[]`, `{"Name":5}`, `{"Name":"a","X":{"y":[1,2]}}`, "\x00", `"\ud800"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		var v struct {
			Name   string
			Labels map[string]string
			Cmd    []string
		}
		err := DecodeJSON(r, &v)
		if err == nil {
			return
		}
		if !errors.Is(err, errdefs.ErrInvalidArg) || errdefs.HTTPStatus(err) != 400 {
			t.Fatalf("DecodeJSON(%q): %v is not a 400", body, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("DecodeJSON(%q): multi-line message %q", body, err)
		}
	})
}
