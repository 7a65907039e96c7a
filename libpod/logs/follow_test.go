package logs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hangTimeout bounds every wait here; it only catches a hang, as a loaded
// machine may be slow to run the follower.
const hangTimeout = time.Minute

// waitOpenAtEnd waits until this process holds path open at its end, as a
// follower does once it has taken its starting point: data appended from
// then on is new to it.
func waitOpenAtEnd(t *testing.T, path string) {
	t.Helper()
	want, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(hangTimeout)
	for {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		fds, _ := os.ReadDir("/proc/self/fd")
		for _, fd := range fds {
			if target, err := os.Readlink("/proc/self/fd/" + fd.Name()); err != nil || target != want {
				continue
			}
			info, err := os.ReadFile("/proc/self/fdinfo/" + fd.Name())
			if err != nil {
				continue
			}
			var pos int64
			for _, l := range strings.Split(string(info), "\n") {
				if v, ok := strings.CutPrefix(l, "pos:"); ok {
					pos, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				}
			}
			if pos == st.Size() {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no file descriptor of this process is at the end of %s", path)
		}
		time.Sleep(time.Millisecond)
	}
}

// follower runs Read with Follow in the background and collects lines.
type follower struct {
	mu    sync.Mutex
	lines []Line
	done  atomic.Bool
	errc  chan error
}

func startFollow(ctx context.Context, path string, opts Options) *follower {
	fl := &follower{errc: make(chan error, 1)}
	opts.Follow = true
	go func() {
		fl.errc <- Read(ctx, path, opts, fl.done.Load, func(l Line) error {
			fl.mu.Lock()
			defer fl.mu.Unlock()
			fl.lines = append(fl.lines, l)
			return nil
		})
	}()
	return fl
}

func (fl *follower) texts() []string {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return texts(fl.lines)
}

// waitFor polls until the follower has emitted want or a timeout passes.
func (fl *follower) waitFor(t *testing.T, want []string) {
	t.Helper()
	deadline := time.Now().Add(hangTimeout)
	for time.Now().Before(deadline) {
		if reflect.DeepEqual(fl.texts(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("follower emitted %q, want %q", fl.texts(), want)
}

// finish flips done and waits for Read to return.
func (fl *follower) finish(t *testing.T) {
	t.Helper()
	fl.done.Store(true)
	select {
	case err := <-fl.errc:
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
	case <-time.After(hangTimeout):
		t.Fatal("Read did not return after done() became true")
	}
}

func TestFollowAppends(t *testing.T) {
	tests := []struct {
		name  string
		tail  int
		first []string
	}{
		{"tail all", -1, []string{"stdout:old1\n", "stdout:old2\n"}},
		{"tail 1", 1, []string{"stdout:old2\n"}},
		{"tail 0", 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeLog(t, rec(at(0), "stdout", "F", "old1")+rec(at(1), "stdout", "F", "old2"))
			fl := startFollow(context.Background(), path, Options{Tail: tt.tail})
			fl.waitFor(t, tt.first)
			// With tail 0 nothing in the output shows that Read has taken
			// its starting point; its file offset does.
			waitOpenAtEnd(t, path)
			appendLog(t, path, rec(at(2), "stderr", "F", "new1")+rec(at(3), "stdout", "P", "new"))
			want := append(tt.first, "stderr:new1\n")
			fl.waitFor(t, want)
			// The rest of the line arrives, together with the exit: it must
			// be drained before Read returns.
			appendLog(t, path, rec(at(4), "stdout", "F", "2")+rec(at(5), "stdout", "P", "bye"))
			fl.finish(t)
			want = append(want, "stdout:new2\n", "stdout:bye")
			if got := fl.texts(); !reflect.DeepEqual(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

func TestFollowWaitsForFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctr.log")
	fl := startFollow(context.Background(), path, Options{Tail: -1})
	time.Sleep(3 * pollInterval)
	appendLog(t, path, rec(at(0), "stdout", "F", "hello"))
	fl.waitFor(t, []string{"stdout:hello\n"})
	fl.finish(t)

	// A container that finishes without ever creating its log.
	fl = startFollow(context.Background(), filepath.Join(t.TempDir(), "never.log"), Options{Tail: -1})
	fl.finish(t)
	if got := fl.texts(); len(got) != 0 {
		t.Fatalf("got %q from a missing file", got)
	}
}

// TestFollowRotation replaces the file by rename as conmon does with
// --log-size-max, including data written to the old file just before.
func TestFollowRotation(t *testing.T) {
	path := writeLog(t, rec(at(0), "stdout", "F", "a"))
	fl := startFollow(context.Background(), path, Options{Tail: -1})
	fl.waitFor(t, []string{"stdout:a\n"})

	// A follower polls by name, so each rotation must outlive one poll for
	// the file it creates to be seen (a file replaced twice between polls
	// is lost, as with any follower that reopens by name).
	want := []string{"stdout:a\n"}
	for i, text := range []string{"b", "c"} {
		appendLog(t, path, rec(at(1+i), "stdout", "F", text+"-last-in-old"))
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, []byte(rec(at(1+i), "stdout", "F", text+"-first-in-new")), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
		want = append(want, "stdout:"+text+"-last-in-old\n", "stdout:"+text+"-first-in-new\n")
		fl.waitFor(t, want)
	}
	appendLog(t, path, rec(at(5), "stdout", "F", "d"))
	fl.waitFor(t, append(want, "stdout:d\n"))
	fl.finish(t)
}

func TestFollowTruncation(t *testing.T) {
	path := writeLog(t, rec(at(0), "stdout", "F", "a")+rec(at(1), "stdout", "F", "b"))
	fl := startFollow(context.Background(), path, Options{Tail: -1})
	fl.waitFor(t, []string{"stdout:a\n", "stdout:b\n"})
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * pollInterval)
	appendLog(t, path, rec(at(2), "stdout", "F", "c"))
	fl.waitFor(t, []string{"stdout:a\n", "stdout:b\n", "stdout:c\n"})
	fl.finish(t)
}

func TestFollowStops(t *testing.T) {
	t.Run("until", func(t *testing.T) {
		path := writeLog(t, rec(at(0), "stdout", "F", "a"))
		fl := startFollow(context.Background(), path, Options{Tail: -1, Until: at(1)})
		appendLog(t, path, rec(at(1), "stdout", "F", "b")+rec(at(2), "stdout", "F", "c"))
		select {
		case err := <-fl.errc:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(hangTimeout):
			t.Fatal("follow did not stop after a line past Until")
		}
		if got, want := fl.texts(), []string{"stdout:a\n", "stdout:b\n"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		fl := startFollow(ctx, writeLog(t, ""), Options{Tail: -1})
		time.Sleep(2 * pollInterval)
		cancel()
		select {
		case err := <-fl.errc:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		case <-time.After(hangTimeout):
			t.Fatal("follow ignored a cancelled context")
		}
	})
}
