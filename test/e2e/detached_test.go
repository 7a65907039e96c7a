package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// longRunning is a shell that exits promptly on SIGTERM (a shell as PID 1
// ignores TERM unless it traps it) and otherwise runs for a long time.
const longRunning = `trap "exit 0" TERM; echo started; sleep 1000 & wait`

// runDetached starts a detached container and returns its ID.
func (m *Mode) runDetached(t *testing.T, name string, args ...string) string {
	t.Helper()
	m.cleanup(t, name)
	res := m.must(t, append([]string{"run", "-d", "--name", name}, args...)...)
	id := res.Out()
	if !hex64.MatchString(id) {
		t.Fatalf("run -d: want a 64-hex ID on stdout, got: %s", res)
	}
	return id
}

// waitLogs waits until the container's logs contain want.
func (m *Mode) waitLogs(t testing.TB, name, want string) {
	t.Helper()
	eventually(t, func() (bool, string) {
		res := m.run(t, "logs", name)
		return strings.Contains(res.Stdout+res.Stderr, want), res.String()
	})
}

func pidAlive(pid int) bool {
	return pid > 0 && syscall.Kill(pid, 0) == nil
}

func TestDetachedRunPsLogs(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		id := m.runDetached(t, name, image, "sh", "-c", longRunning)

		st := m.psStatus(t)
		if !strings.HasPrefix(st[name], "Up") {
			t.Errorf("ps: want %s Up, got %q (all: %v)", name, st[name], st)
		}
		res := m.must(t, "ps", "--no-trunc", "-q", "--filter", "name="+name)
		if !strings.Contains(res.Stdout, id) {
			t.Errorf("ps --no-trunc -q: want %s, got: %s", id, res)
		}
		m.waitLogs(t, name, "started")

		// The container outlives the CLI that started it.
		pid, err := strconv.Atoi(m.inspectField(t, name, "{{.State.Pid}}"))
		if err != nil || !pidAlive(pid) {
			t.Fatalf("container process %d (%v) is not alive after run -d returned", pid, err)
		}
		time.Sleep(500 * time.Millisecond)
		if !pidAlive(pid) {
			t.Errorf("container process %d died after the CLI exited", pid)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}}", name), "running")
	})
}

func TestExec(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.runDetached(t, name, image, "sh", "-c", longRunning)

		wantOut(t, m.run(t, "exec", name, "echo", "inexec"), "inexec")
		wantOut(t, m.run(t, "exec", "-e", "E=5", name, "sh", "-c", "echo $E"), "5")
		wantOut(t, m.run(t, "exec", "-w", "/var/www", name, "pwd"), "/var/www")
		wantOut(t, m.run(t, "exec", "-u", "nobody", name, "id", "-u"), "65534")
		wantCode(t, m.run(t, "exec", name, "sh", "-c", "exit 4"), 4)
		wantCode(t, m.run(t, "exec", name, "/nonexistent"), 127)

		// exec -d returns while its process still waits on a gate only the
		// test opens: had it waited for the process, it would hang (and
		// fail at the harness's timeout).
		res := m.run(t, "exec", "-d", name, "sh", "-c", gateWait("execd")+"; echo done > /tmp/execd")
		wantCode(t, res, 0)
		wantCode(t, m.run(t, "exec", name, "test", "!", "-e", "/tmp/execd"), 0)
		m.openGate(t, name, "execd")
		eventually(t, func() (bool, string) {
			r := m.run(t, "exec", name, "cat", "/tmp/execd")
			return r.Out() == "done", r.String()
		})

		// exec into a container that is not running fails as an engine error.
		stopped := cname(t, "stopped")
		m.cleanup(t, stopped)
		m.must(t, "create", "--name", stopped, image, "true")
		wantCode(t, m.run(t, "exec", stopped, "true"), podmanOr(255, 125))
	})
}

func TestStopEscalatesToKill(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		// The container ignores TERM; its own stop timeout is far beyond the
		// harness's, so only -t 1 can end this stop in time.
		m.runDetached(t, name, "--stop-timeout", "600", image, "sh", "-c", `trap "" TERM; echo ready; sleep 1000`)
		m.waitLogs(t, name, "ready")
		res := m.run(t, "stop", "-t", "1", name)
		wantCode(t, res, 0)
		// A lower bound only: load can make the stop slower, never faster.
		if res.Duration < 900*time.Millisecond {
			t.Errorf("stop -t 1 of a container ignoring TERM killed it before the timeout (%s)", res.Duration)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name), "exited 137")

		// A container that honours TERM stops as soon as it exits, with its
		// own code: with -t 600 a stop that waited out the timeout would
		// hang.
		quick := cname(t, "quick")
		m.runDetached(t, quick, image, "sh", "-c", longRunning)
		m.waitLogs(t, quick, "started")
		wantCode(t, m.run(t, "stop", "-t", "600", quick), 0)
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.ExitCode}}", quick), "0")
	})
}

func TestKillSignal(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.runDetached(t, name, image, "sh", "-c",
			`trap "echo got-usr1" USR1; trap "exit 0" TERM; echo ready; while true; do sleep 1 & wait; done`)
		m.waitLogs(t, name, "ready")
		wantCode(t, m.run(t, "kill", "-s", "USR1", name), 0)
		m.waitLogs(t, name, "got-usr1")
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Running}}", name), "true")

		wantCode(t, m.run(t, "kill", name), 0) // SIGKILL by default
		eventually(t, func() (bool, string) {
			r := m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name)
			return r.Out() == "exited 137", r.String()
		})
		// Killing a stopped container is an engine error.
		wantCode(t, m.run(t, "kill", name), 125)
	})
}

func TestRestart(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.runDetached(t, name, image, "sh", "-c", longRunning)
		m.waitLogs(t, name, "started")
		pid1 := m.inspectField(t, name, "{{.State.Pid}}")
		// The container exits on TERM: with -t 600, a restart that waited
		// out the timeout would hang.
		wantCode(t, m.run(t, "restart", "-t", "600", name), 0)
		m.waitRunning(t, name)
		if pid2 := m.inspectField(t, name, "{{.State.Pid}}"); pid2 == pid1 {
			t.Errorf("restart: the container process is still %s", pid1)
		}
		eventually(t, func() (bool, string) {
			r := m.run(t, "logs", name)
			return strings.Count(r.Stdout, "started") == 2, r.String()
		})

		// restart also starts an exited container.
		done := cname(t, "exited")
		m.cleanup(t, done)
		m.must(t, "run", "--name", done, image, "sh", "-c", "echo once")
		m.must(t, "restart", done)
		eventually(t, func() (bool, string) {
			r := m.run(t, "logs", done)
			return strings.Count(r.Stdout, "once") == 2, r.String()
		})
	})
}

func TestWait(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.runDetached(t, name, image, "sh", "-c", "sleep 1; exit 5")
		res := m.run(t, "wait", name)
		wantCode(t, res, 0)
		wantOut(t, res, "5")
		// Waiting on an exited container returns at once.
		res = m.run(t, "wait", name)
		wantOut(t, res, "5")
	})
}

var timestamped = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) `)

func TestLogs(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "run", "--name", name, image, "sh", "-c", "echo a; echo b >&2; echo c")
		res := m.must(t, "logs", name)
		if res.Stdout != "a\nc\n" || res.Stderr != "b\n" {
			t.Errorf("logs: want stdout a,c and stderr b, got: %s", res)
		}
		// Streams are logged independently, so --tail is checked on one.
		only := cname(t, "stdout")
		m.cleanup(t, only)
		m.must(t, "run", "--name", only, image, "sh", "-c", "echo one; echo two; echo three")
		wantOut(t, m.run(t, "logs", "--tail", "1", only), "three")
		wantOut(t, m.run(t, "logs", "--tail", "2", only), "two\nthree")
		res = m.must(t, "logs", "-t", name)
		for _, l := range res.Lines() {
			if !timestamped.MatchString(l) {
				t.Errorf("logs -t: line without an RFC 3339 timestamp: %q", l)
			}
		}
		if len(res.Lines()) != 2 {
			t.Errorf("logs -t: want 2 stdout lines, got: %s", res)
		}
	})
}

func TestLogsFollowAndSince(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		// "late" is printed only once the test opens the gate, which it
		// does after taking mid and after logs -f has printed "early".
		m.runDetached(t, name, image, "sh", "-c", "echo early; "+gateWait("late")+"; echo late")
		m.waitLogs(t, name, "early")
		mid := time.Now().UTC().Format(time.RFC3339Nano)

		// Follow keeps streaming until the container exits: it shows the
		// line written after the gate opened, then returns.
		out := m.followLogs(t, name, "early\n", func() { m.openGate(t, name, "late") })
		if !strings.Contains(out, "late\n") {
			t.Errorf("logs -f: the line written after it started is missing: %q", out)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}}", name), "exited")

		res := m.must(t, "logs", "--since", mid, name)
		if strings.Contains(res.Stdout, "early") || !strings.Contains(res.Stdout, "late") {
			t.Errorf("logs --since %s: want only late, got: %s", mid, res)
		}
		res = m.must(t, "logs", "--since", fmt.Sprint(time.Now().Add(-time.Hour).Unix()), name)
		if !strings.Contains(res.Stdout, "early") {
			t.Errorf("logs --since an hour ago: want everything, got: %s", res)
		}
	})
}
