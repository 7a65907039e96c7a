package server

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Defaults for Options.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultIdleConnTimeout closes idle keep-alive connections of a
	// service that never exits.
	DefaultIdleConnTimeout = 2 * time.Minute
	// DefaultExitGrace is how long a service keeps accepting after it
	// unlinked its socket, to serve connections already queued.
	DefaultExitGrace = 100 * time.Millisecond
)

// Options configure a Server.
type Options struct {
	Handler HandlerOptions
	// Listeners are open listeners (from Listen or Adopt); the server
	// closes them.
	Listeners []net.Listener
	// ExitAfter makes Serve return after that long with nothing in flight
	// and no stream open; 0 never.
	ExitAfter time.Duration
	// IdleConnTimeout closes keep-alive connections idle that long. The
	// default is half of ExitAfter, so that no pooled connection is still
	// open when the service exits (or DefaultIdleConnTimeout).
	IdleConnTimeout time.Duration
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout time.Duration
	// ExitGrace is how long to keep accepting after unlinking our own unix
	// sockets at exit (DefaultExitGrace).
	ExitGrace time.Duration
	// Notify, when set, is told "READY=1" once the listeners serve and
	// "STOPPING=1" when shutdown begins (systemd's sd_notify).
	Notify func(state string) error
}

// Server serves the API until it is idle, its context ends, or Close.
type Server struct {
	opts      Options
	http      *http.Server
	tracker   *tracker
	keepAlive *keepAlive
	serving   []net.Listener // opts.Listeners, unix ones wrapped for keepAlive
	errLog    io.Closer      // net/http's error log into logrus
	force     chan struct{}
	once      sync.Once
}

// New prepares a server; nothing is served before Serve.
func New(opts Options) (*Server, error) {
	if len(opts.Listeners) == 0 {
		return nil, errors.New("api server: no listener")
	}
	if opts.ReadHeaderTimeout == 0 {
		opts.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if opts.IdleConnTimeout == 0 {
		opts.IdleConnTimeout = DefaultIdleConnTimeout
		if opts.ExitAfter > 0 {
			opts.IdleConnTimeout = opts.ExitAfter / 2
		}
	}
	if opts.ExitGrace == 0 {
		opts.ExitGrace = DefaultExitGrace
	}
	t := newTracker(opts.ExitAfter)
	s := &Server{opts: opts, tracker: t, force: make(chan struct{})}
	ka := newKeepAlive(s.rescue)
	s.keepAlive = ka
	for _, l := range opts.Listeners {
		if l.Addr().Network() == "unix" {
			l = &keepAliveListener{Listener: l, ka: ka}
		}
		s.serving = append(s.serving, l)
	}
	h := newHandler(opts.Handler, t)
	h.keepAlive = ka
	errLog := logrus.StandardLogger().WriterLevel(logrus.DebugLevel)
	s.errLog = errLog
	s.http = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		IdleTimeout:       opts.IdleConnTimeout,
		ConnContext:       connContext,
		ConnState: func(c net.Conn, st http.ConnState) {
			t.connState(c, st)
			ka.connState(c, st)
		},
		// HTTP/2 cannot hijack; Docker clients speak HTTP/1.1.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ErrorLog:     log.New(errLog, "api: ", 0),
	}
	return s, nil
}

// Serve serves every listener. It returns nil after an idle exit, or after
// ctx ended and the graceful shutdown finished: no new connections, every
// request in flight answered, every open stream ended by its client or its
// container. Close cuts a graceful shutdown short.
func (s *Server) Serve(ctx context.Context) error {
	defer s.errLog.Close()
	defer s.tracker.stop()
	serveErr := make(chan error, len(s.serving))
	for _, l := range s.serving {
		go func() {
			if err := s.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				serveErr <- err
			}
		}()
	}
	s.notify("READY=1")
	var err error
	select {
	case <-s.tracker.idle:
		logrus.Infof("api: idle for %s, exiting", s.opts.ExitAfter)
	case <-ctx.Done():
		logrus.Infof("api: shutting down: finishing requests and open streams")
	case err = <-serveErr:
		logrus.Errorf("api: accepting connections: %v", err)
	case <-s.force:
	}
	s.notify("STOPPING=1")
	if shutErr := s.shutdown(); err == nil {
		err = shutErr
	}
	return err
}

// keepAliveDrain bounds the wait for retired connections to leave the idle
// state; they do so at once unless the machine is overloaded.
const keepAliveDrain = 2 * time.Second

// shutdown stops accepting and waits for everything in flight.
func (s *Server) shutdown() error {
	// From here on every answer closes its connection, and idle unix
	// connections are retired, so none is cut under a client's request.
	s.keepAlive.shutdown(keepAliveDrain)
	own := false
	for _, l := range s.opts.Listeners {
		if u, ok := l.(*unixListener); ok {
			u.unlink()
			own = true
		}
	}
	if own {
		// Connections that reached the socket before the unlink are in
		// the accept queue: take them in and serve them.
		select {
		case <-time.After(s.opts.ExitGrace):
		case <-s.force:
		}
	}
	forceCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.force:
			cancel()
		case <-forceCtx.Done():
		}
	}()
	// Shutdown closes the listeners, closes idle (TCP) connections, lets
	// the others finish with "Connection: close" and waits for them.
	err := s.http.Shutdown(forceCtx)
	if errors.Is(err, context.Canceled) {
		err = s.http.Close()
	}
	for s.tracker.isBusy() {
		select {
		case <-s.tracker.waitIdle():
		case <-s.force:
			s.tracker.closeHijacked()
			return err
		}
	}
	return err
}

// Close ends Serve at once: a graceful shutdown in progress stops waiting,
// and open connections and streams are cut.
func (s *Server) Close() {
	s.once.Do(func() { close(s.force) })
}

// rescue serves the request queued on a unix connection that net/http is
// closing (see keepalive.go) on a duplicate of it, with a one-off server
// that answers with "Connection: close". It counts as in flight.
func (s *Server) rescue(c *net.UnixConn) {
	dup, err := dupConn(c)
	if err != nil {
		logrus.Warnf("api: a request arrived as its connection was closing and is lost: %v", err)
		return
	}
	release := s.tracker.hold()
	gone := make(chan struct{})
	conn := &closeNotifier{Conn: s.tracker.trackHijacked(dup, release), gone: gone}
	side := &http.Server{
		Handler:           s.http.Handler,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ConnState:         s.tracker.connState,
		ErrorLog:          s.http.ErrorLog,
	}
	side.SetKeepAlivesEnabled(false)
	logrus.Debugf("api: serving a request that raced with closing its connection")
	go func() { _ = side.Serve(&oneConnListener{conn: conn, gone: gone}) }()
}

func (s *Server) notify(state string) {
	if s.opts.Notify == nil {
		return
	}
	if err := s.opts.Notify(state); err != nil {
		logrus.Warnf("api: notifying systemd of %s: %v", state, err)
	}
}
