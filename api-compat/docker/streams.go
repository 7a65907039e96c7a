package docker

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"

	"github.com/docker/docker/pkg/stdcopy"

	"github.com/skiffcontainers/skiff/api-compat/server"
)

// Media types of Docker's stream responses.
const (
	mediaRaw         = "application/vnd.docker.raw-stream"
	mediaMultiplexed = "application/vnd.docker.multiplexed-stream"
)

// streamMediaType is what Docker sends: multiplexed only from API 1.42 on
// and only without a TTY.
func streamMediaType(apiVersion string, tty bool) string {
	if !tty && apiAtLeast(apiVersion, "1.42") {
		return mediaMultiplexed
	}
	return mediaRaw
}

// lockedWriter serialises writes from the stdout and stderr copiers so
// that frames never interleave.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
	// flush, when set, pushes each write to the client at once.
	flush func() error
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.w.Write(p)
	if err == nil && l.flush != nil {
		err = l.flush()
	}
	return n, err
}

// demux returns the stdout and stderr writers for one output stream:
// without a TTY each write becomes a stdcopy frame (stream byte 1 or 2),
// with one both go through raw, as Docker does.
func demux(out io.Writer, tty bool) (stdout, stderr io.Writer) {
	if tty {
		return out, out
	}
	return stdcopy.NewStdWriter(out, stdcopy.Stdout), stdcopy.NewStdWriter(out, stdcopy.Stderr)
}

// streamResponse sends the 200 and its headers at once (clients wait for
// them before going on) and returns a writer that flushes every write.
func streamResponse(w http.ResponseWriter, contentType string) io.Writer {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	return &lockedWriter{w: w, flush: rc.Flush}
}

// hijacked is a taken-over connection: what the client sends and where the
// container's output goes.
type hijacked struct {
	conn   net.Conn
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	out    io.Writer
	// respond sends the status line and headers (once).
	respond func() error
}

// hijack answers 101 UPGRADED (through the server) and frames output for
// tty. Reads go through the buffered reader: it may already hold stdin the
// client sent right after its request.
func hijack(w http.ResponseWriter, r *http.Request, tty bool) (*hijacked, error) {
	h, err := hijackLater(w, r, tty)
	if err != nil {
		return nil, err
	}
	if err := h.respond(); err != nil {
		return nil, err
	}
	return h, nil
}

// hijackLater takes the connection over without answering yet; respond
// sends the answer (attach does once the engine is attached).
func hijackLater(w http.ResponseWriter, r *http.Request, tty bool) (*hijacked, error) {
	conn, rw, respond, err := server.HijackLater(w, r, streamMediaType(server.APIVersion(r), tty))
	if err != nil {
		return nil, err
	}
	out := &lockedWriter{w: conn}
	stdout, stderr := demux(out, tty)
	var in io.Reader = conn
	if rw != nil && rw.Reader != nil {
		in = rw.Reader
	}
	return &hijacked{conn: conn, stdin: in, stdout: stdout, stderr: stderr, out: out, respond: respond}, nil
}

// context is the stream's context. It must not be the request's: net/http
// cancels that when the client half-closes the hijacked connection (the
// reader handed over by Hijack still reports EOF to the server), and a
// half-close only means "no more stdin". The stream ends with the
// container, or when writing to a client that went away fails.
func (h *hijacked) context(r *http.Request) context.Context {
	return context.WithoutCancel(r.Context())
}

// fail reports an error that happened after the hijack, where no status can
// be sent any more: on stderr, as Docker does, then the connection closes.
func (h *hijacked) fail(err error) {
	_ = h.respond()
	_, _ = io.WriteString(h.stderr, err.Error()+"\r\n")
}

// close ends the stream: the client reads EOF, which is how the docker CLI
// learns that the container's output is complete.
func (h *hijacked) close() {
	if cw, ok := h.conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = h.conn.Close()
}
