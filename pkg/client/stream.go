package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// StreamOptions are the caller's ends of a stream route.
type StreamOptions struct {
	// Streams are copied to and from the frames. Stdin is sent only with
	// SendStdin, so that a call that needs no input never reads the
	// caller's.
	Streams   engine.Streams
	SendStdin bool
	// OnEvent receives the payload of each event frame; an error from it
	// ends the stream with that error.
	OnEvent func(payload []byte) error
}

// Stream calls a stream route: it upgrades the connection, pumps stdin,
// resizes and output as frames, and returns the final result's value (to
// decode into out when not nil) and its error.
func (c *Client) Stream(ctx context.Context, path string, in any, opts StreamOptions, out any) error {
	req, err := c.request(ctx, http.MethodPost, path, in)
	if err != nil {
		return err
	}
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "tcp")
	if opts.SendStdin && opts.Streams.Stdin != nil {
		req.Header.Set(wire.HeaderStdin, "1")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		defer resp.Body.Close()
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return fmt.Errorf("%s did not upgrade %s to a stream (%s)", c.uri, req.URL.Path, resp.Status)
		}
		return c.answerError(req, resp, out)
	}
	conn, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		resp.Body.Close()
		return fmt.Errorf("the upgraded connection is not writable")
	}
	s := &session{conn: conn, fw: wire.NewWriter(conn), opts: opts, done: make(chan struct{})}
	return s.run(ctx, out)
}

// session is one client-side stream.
type session struct {
	conn io.ReadWriteCloser
	fw   *wire.Writer
	opts StreamOptions
	done chan struct{}
}

func (s *session) run(ctx context.Context, out any) error {
	defer s.conn.Close()
	defer close(s.done)
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()
	if s.opts.SendStdin && s.opts.Streams.Stdin != nil {
		go s.pumpStdin()
	}
	if s.opts.Streams.Resize != nil {
		go s.pumpResize()
	}
	if s.opts.Streams.Signals != nil {
		go s.pumpSignals()
	}
	for {
		f, err := wire.ReadFrame(s.conn)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("the stream from the service ended without a result: %w", err)
		}
		switch f.Type {
		case wire.FrameStdout:
			if err := write(s.opts.Streams.Stdout, f.Payload); err != nil {
				return err
			}
		case wire.FrameStderr:
			w := s.opts.Streams.Stderr
			if w == nil {
				w = s.opts.Streams.Stdout
			}
			if err := write(w, f.Payload); err != nil {
				return err
			}
		case wire.FrameEvent:
			if s.opts.OnEvent != nil {
				if err := s.opts.OnEvent(f.Payload); err != nil {
					return err
				}
			}
		case wire.FrameResult:
			var res wire.Result
			if err := json.Unmarshal(f.Payload, &res); err != nil {
				return fmt.Errorf("decoding the stream's result: %w", err)
			}
			if out != nil && len(res.Value) > 0 {
				if err := json.Unmarshal(res.Value, out); err != nil {
					return fmt.Errorf("decoding the stream's result: %w", err)
				}
			}
			return res.Error.Err()
		}
	}
}

func write(w io.Writer, p []byte) error {
	if w == nil {
		return nil
	}
	_, err := w.Write(p)
	return err
}

// pumpStdin sends the caller's stdin, then its end.
func (s *session) pumpStdin() {
	buf := make([]byte, 32<<10)
	for {
		n, err := s.opts.Streams.Stdin.Read(buf)
		if n > 0 {
			if s.fw.Frame(wire.FrameStdin, buf[:n]) != nil {
				return
			}
		}
		if err != nil {
			_ = s.fw.Frame(wire.FrameStdinEOF, nil)
			return
		}
	}
}

// pumpResize sends terminal size changes until the session ends.
func (s *session) pumpResize() {
	for {
		select {
		case <-s.done:
			return
		case size, ok := <-s.opts.Streams.Resize:
			if !ok {
				return
			}
			data, _ := json.Marshal(size)
			if s.fw.Frame(wire.FrameResize, data) != nil {
				return
			}
		}
	}
}

// pumpSignals forwards the signals the caller received until the session ends.
func (s *session) pumpSignals() {
	for {
		select {
		case <-s.done:
			return
		case sig, ok := <-s.opts.Streams.Signals:
			if !ok {
				return
			}
			if s.fw.Frame(wire.FrameSignal, []byte(strconv.Itoa(int(sig)))) != nil {
				return
			}
		}
	}
}
