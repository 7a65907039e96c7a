package native

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// streamContentType names the framed protocol in the 101 answer.
const streamContentType = "application/vnd.skiff.stream"

// streamFunc runs one engine call with the session's streams; fw is there
// for the events route, which sends frames of its own.
type streamFunc[In any] func(ctx context.Context, r *http.Request, in In, s engine.Streams, fw *wire.Writer) (any, error)

// stream makes a handler for an observer (logs, wait, events): it decodes
// In from the body, upgrades the connection and runs fn over frames until
// it returns; a client that hangs up cancels fn.
func stream[In any](fn streamFunc[In]) http.HandlerFunc {
	return streamHandler(fn, true)
}

// session is stream for calls that drive a container (run, start, attach,
// exec): a client that hangs up is treated like a CLI that died, as Docker
// does: its streams end, but the call is not cancelled, so the container
// (or exec process) is neither killed nor left half-started.
func session[In any](fn streamFunc[In]) http.HandlerFunc {
	return streamHandler(fn, false)
}

func streamHandler[In any](fn streamFunc[In], hangupCancels bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decodeBody(r, &in); err != nil {
			writeError(w, err, nil)
			return
		}
		serveStream(w, r, hangupCancels, func(ctx context.Context, s engine.Streams, fw *wire.Writer) (any, error) {
			return fn(ctx, r, in, s, fw)
		})
	}
}

// dual makes a handler for methods that stream only sometimes (run and
// exec without detach, start with attach): a request that asks for an
// upgrade gets a session, others a plain JSON answer with no stdio.
func dual[In any](fn streamFunc[In]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			session(fn)(w, r)
			return
		}
		call(func(r *http.Request, in In) (any, error) {
			return fn(r.Context(), r, in, engine.Streams{}, nil)
		})(w, r)
	}
}

// serveStream hijacks the connection and runs one session on it.
func serveStream(w http.ResponseWriter, r *http.Request, hangupCancels bool, run func(context.Context, engine.Streams, *wire.Writer) (any, error)) {
	conn, rw, err := server.Hijack(w, r, streamContentType)
	if err != nil {
		logrus.Debugf("native: upgrading %s: %v", r.URL.Path, err)
		writeError(w, err, nil)
		return
	}
	defer conn.Close()
	// The server's header and write timeouts do not apply to a stream.
	_ = conn.SetDeadline(time.Time{})

	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	hangup := func() {
		// Closing fails our writes at once and tells the server the
		// stream is over, so a lingering call keeps nobody waiting.
		conn.Close()
		if hangupCancels {
			cancel()
		}
	}
	fw := wire.NewWriter(rw.Writer)
	stdinR, stdinW := io.Pipe()
	defer stdinR.Close()
	resize := make(chan engine.TerminalSize, 8)
	signals := make(chan syscall.Signal, 8)
	wantStdin := r.Header.Get(wire.HeaderStdin) == "1"
	go readClient(rw.Reader, stdinW, wantStdin, clientChans{resize: resize, signals: signals}, hangup)

	s := engine.Streams{
		Stdout:  fw.Stream(wire.FrameStdout),
		Stderr:  fw.Stream(wire.FrameStderr),
		Resize:  resize,
		Signals: signals,
	}
	if wantStdin {
		s.Stdin = stdinR
	}
	val, err := run(ctx, s, fw)
	if err := fw.Frame(wire.FrameResult, resultPayload(val, err)); err != nil {
		logrus.Debugf("native: sending the result of %s: %v", r.URL.Path, err)
	}
}

// resultPayload encodes the final frame.
func resultPayload(val any, err error) []byte {
	res := wire.Result{Error: wire.FromError(err)}
	if val != nil {
		data, mErr := json.Marshal(val)
		if mErr != nil {
			res.Error = wire.FromError(mErr)
		} else if string(data) != "null" {
			res.Value = data
		}
	}
	out, _ := json.Marshal(res)
	return out
}

// clientChans are where the client's control frames go.
type clientChans struct {
	resize  chan<- engine.TerminalSize
	signals chan<- syscall.Signal
}

// readClient turns the client's frames into stdin and resize events. When
// the client goes away (its reads fail), it calls hangup. Stdin is
// handed to the engine by another goroutine through a queue, so that an
// engine that does not read its stdin never stops us from noticing resizes
// or the client leaving.
func readClient(br *bufio.Reader, stdin *io.PipeWriter, wantStdin bool, ch clientChans, hangup func()) {
	queue := make(chan []byte, 256)
	go func() {
		for p := range queue {
			if _, err := stdin.Write(p); err != nil {
				for range queue { // the engine is done with stdin
				}
				return
			}
		}
		stdin.Close()
	}()
	queueOpen := true
	closeQueue := func() {
		if queueOpen {
			close(queue)
			queueOpen = false
		}
	}
	for {
		f, err := wire.ReadFrame(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				logrus.Debugf("native: reading client frames: %v", err)
			}
			stdin.CloseWithError(io.ErrUnexpectedEOF)
			closeQueue()
			hangup()
			return
		}
		switch f.Type {
		case wire.FrameStdin:
			if wantStdin && queueOpen {
				queue <- f.Payload
			}
		case wire.FrameStdinEOF:
			closeQueue()
		case wire.FrameResize:
			var size engine.TerminalSize
			if json.Unmarshal(f.Payload, &size) == nil {
				select {
				case ch.resize <- size:
				default: // a newer size will follow; never block input on it
				}
			}
		case wire.FrameSignal:
			if n, err := strconv.Atoi(string(f.Payload)); err == nil && n > 0 && n < 65 {
				select {
				case ch.signals <- syscall.Signal(n):
				default:
				}
			}
		default:
			logrus.Debugf("native: ignoring a %s frame from the client", f.Type)
		}
	}
}
