package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

// Request bodies are bounded in size and in time; headers are bounded by
// Options.ReadHeaderTimeout. The two kinds of route get different time
// bounds because they carry different bodies:
//   - ordinary routes take small JSON documents: the whole body must arrive
//     within BodyTimeout of the headers, so a client trickling a byte at a
//     time is cut however steady its trickle;
//   - Stream routes take uploads of any size (image load and import,
//     archives) that may rightly take hours: only a silence longer than
//     BodyIdleTimeout between two reads cuts them.
//
// A hijacked connection (attach, exec) is no longer a request body: its
// deadlines are cleared at the hijack and it never times out.
const (
	DefaultBodyLimit       = 64 << 20
	DefaultBodyTimeout     = time.Minute
	DefaultBodyIdleTimeout = 2 * time.Minute
)

// bodyPolicy is the size and time bounds every route's body gets.
type bodyPolicy struct {
	limit   int64         // bytes, for ordinary routes; < 0 none
	timeout time.Duration // whole body, for ordinary routes; < 0 none
	idle    time.Duration // between two reads, for every route; < 0 none
}

func newBodyPolicy(opts HandlerOptions) bodyPolicy {
	p := bodyPolicy{limit: opts.BodyLimit, timeout: opts.BodyTimeout, idle: opts.BodyIdleTimeout}
	if p.limit == 0 {
		p.limit = DefaultBodyLimit
	}
	if p.timeout == 0 {
		p.timeout = DefaultBodyTimeout
	}
	if p.idle == 0 {
		p.idle = DefaultBodyIdleTimeout
	}
	return p
}

// wrap bounds r's body. Ordinary routes get the size limit and the
// whole-body deadline on r.Body; RawBody gives them the body with the idle
// bound only, for uploads.
func (p bodyPolicy) wrap(w http.ResponseWriter, r *http.Request, stream bool) *http.Request {
	if r.Body == nil || r.Body == http.NoBody {
		return r
	}
	rc := http.NewResponseController(w)
	raw := r.Body
	upload := &deadlineBody{ReadCloser: raw, rc: rc, idle: p.idle}
	if stream {
		r.Body = upload
		return r
	}
	r = r.WithContext(context.WithValue(r.Context(), keyRawBody, io.ReadCloser(upload)))
	var body io.ReadCloser = &deadlineBody{ReadCloser: raw, rc: rc, idle: p.idle, whole: p.timeout, until: deadline(p.timeout)}
	if p.limit >= 0 {
		body = http.MaxBytesReader(w, body, p.limit)
	}
	r.Body = body
	return r
}

func deadline(d time.Duration) time.Time {
	if d < 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// deadlineBody sets the connection's read deadline before each read of a
// request body: idle from now, or the whole-body deadline if sooner.
// Deadlines are left alone once the body has ended, because net/http then
// reads ahead on the connection itself and clears them; a deadline still
// set at that point would cancel the request's context.
type deadlineBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	idle  time.Duration
	whole time.Duration
	until time.Time // zero: no whole-body deadline
	ended bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.ended {
		return b.ReadCloser.Read(p)
	}
	var dl time.Time
	if b.idle >= 0 {
		dl = time.Now().Add(b.idle)
	}
	if !b.until.IsZero() && (dl.IsZero() || b.until.Before(dl)) {
		dl = b.until
	}
	if !dl.IsZero() {
		// Not supported by test recorders only; then there is no socket.
		_ = b.rc.SetReadDeadline(dl)
	}
	n, err := b.ReadCloser.Read(p)
	if err == nil {
		return n, nil
	}
	b.ended = true
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, err
	}
	if !b.until.IsZero() && !time.Now().Before(b.until) {
		return n, invalidf("request body not received within %s", b.whole)
	}
	return n, invalidf("request body: nothing received for %s", b.idle)
}
