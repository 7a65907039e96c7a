package server

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"

	"github.com/sirupsen/logrus"
)

// recorder remembers the status for the access log, keeps Flush and
// Hijack working through the wrapper, and reports hijacked connections to
// the idle tracker.
type recorder struct {
	http.ResponseWriter
	tracker  *tracker
	status   int
	hijacked net.Conn // set once the handler took the connection over
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.ResponseWriter.Write(b)
}

// Flush sends buffered headers and data at once; streaming handlers (wait,
// logs, events) depend on it.
func (rec *recorder) Flush() {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	_ = http.NewResponseController(rec.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the real writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Hijack takes the connection over; it stays counted as an open stream
// until the returned conn is closed.
func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	release := rec.tracker.hold()
	conn, rw, err := http.NewResponseController(rec.ResponseWriter).Hijack()
	if err != nil {
		release()
		return nil, nil, err
	}
	rec.hijacked = rec.tracker.trackHijacked(conn, release)
	if rec.status == 0 {
		rec.status = http.StatusSwitchingProtocols
	}
	return rec.hijacked, rw, nil
}

func (rec *recorder) statusCode() int {
	if rec.status == 0 {
		return http.StatusOK
	}
	return rec.status
}

// recoverPanic turns a handler's panic into a logged 500 so that one bad
// request never takes the service down. http.ErrAbortHandler keeps its
// meaning (abort the response silently).
func recoverPanic(rec *recorder, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	logrus.Errorf("api: panic serving %s %s: %v\n%s", r.Method, r.URL.RequestURI(), v, debug.Stack())
	if rec.hijacked != nil {
		// Nobody else will close it, and an open one keeps the service up.
		_ = rec.hijacked.Close()
		return
	}
	if rec.status != 0 {
		// Headers are gone: the only honest signal left is a cut response.
		panic(http.ErrAbortHandler)
	}
	rec.Header().Del("Content-Length")
	WriteJSON(rec, http.StatusInternalServerError, ErrorBody{Message: fmt.Sprintf("internal server error: %v", v), Cause: "unknown"})
}
