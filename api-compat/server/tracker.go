package server

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// tracker knows whether the service is busy: connections between accept and
// the end of their current response, and hijacked connections until they
// are closed. While nothing is busy for the exit delay it signals idle.
// A nil tracker tracks nothing (handlers built for tests).
type tracker struct {
	mu       sync.Mutex
	conns    map[net.Conn]http.ConnState
	hijacked map[net.Conn]struct{}
	busy     int
	delay    time.Duration // 0: never idle
	timer    *time.Timer
	gen      uint64 // bumped whenever the timer is re-armed or stopped
	idle     chan struct{}
	drained  chan struct{} // closed and replaced when busy drops to 0
}

func newTracker(delay time.Duration) *tracker {
	t := &tracker{conns: map[net.Conn]http.ConnState{}, hijacked: map[net.Conn]struct{}{},
		delay: delay, idle: make(chan struct{}, 1), drained: make(chan struct{})}
	t.mu.Lock()
	t.armLocked()
	t.mu.Unlock()
	return t
}

// busyState reports whether a connection in state s keeps the service up;
// a hijacked one is counted by hold instead.
func busyState(s http.ConnState) bool {
	return s == http.StateNew || s == http.StateActive
}

// connState is the http.Server's ConnState hook.
func (t *tracker) connState(c net.Conn, s http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	old, known := t.conns[c]
	if s == http.StateClosed || s == http.StateHijacked {
		delete(t.conns, c)
	} else {
		t.conns[c] = s
	}
	delta := 0
	if known && busyState(old) {
		delta--
	}
	if busyState(s) {
		delta++
	}
	t.addLocked(delta)
}

// hold counts one more thing in flight until the returned func is called
// (any number of times). The recorder holds across a hijack so that the
// connection is never counted as idle while it changes hands.
func (t *tracker) hold() (release func()) {
	if t == nil {
		return func() {}
	}
	t.mu.Lock()
	t.addLocked(1)
	t.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			t.mu.Lock()
			t.addLocked(-1)
			t.mu.Unlock()
		})
	}
}

// trackHijacked keeps conn counted (through release, from hold) until it
// is closed, and returns the conn whose Close ends that.
func (t *tracker) trackHijacked(conn net.Conn, release func()) net.Conn {
	if t == nil {
		return conn
	}
	t.mu.Lock()
	t.hijacked[conn] = struct{}{}
	t.mu.Unlock()
	return newHijackedConn(conn, func() {
		t.mu.Lock()
		delete(t.hijacked, conn)
		t.mu.Unlock()
		release()
	})
}

// closeHijacked force-closes every hijacked connection (second signal).
func (t *tracker) closeHijacked() {
	t.mu.Lock()
	conns := make([]net.Conn, 0, len(t.hijacked))
	for c := range t.hijacked {
		conns = append(conns, c)
	}
	t.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

func (t *tracker) addLocked(delta int) {
	was := t.busy
	t.busy += delta
	switch {
	case was == 0 && t.busy > 0:
		t.gen++
		if t.timer != nil {
			t.timer.Stop()
		}
	case was > 0 && t.busy == 0:
		close(t.drained)
		t.drained = make(chan struct{})
		t.armLocked()
	}
}

// armLocked starts the exit timer; a stale firing (the service became busy
// and idle again meanwhile) is recognised by its generation.
func (t *tracker) armLocked() {
	t.gen++
	if t.delay <= 0 {
		return
	}
	gen := t.gen
	if t.timer != nil {
		t.timer.Stop()
	}
	t.timer = time.AfterFunc(t.delay, func() {
		t.mu.Lock()
		fire := t.gen == gen && t.busy == 0
		t.mu.Unlock()
		if fire {
			select {
			case t.idle <- struct{}{}:
			default:
			}
		}
	})
}

// waitIdle returns a channel that is closed when nothing is busy.
func (t *tracker) waitIdle() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.busy == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return t.drained
}

// stop releases the timer.
func (t *tracker) stop() {
	t.mu.Lock()
	t.gen++
	if t.timer != nil {
		t.timer.Stop()
	}
	t.mu.Unlock()
}

// isBusy reports whether anything is in flight.
func (t *tracker) isBusy() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.busy > 0
}
