package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// noFreezer is skiff's one-line refusal where a container cannot be paused.
const noFreezer = "rootless containers on a cgroup v1 host have no freezer cgroup"

var pausedStatus = regexp.MustCompile(`^Up .+ \(Paused\)$`)

// canPause says whether containers of mode m have a freezer: root always,
// rootless only on a host whose /sys/fs/cgroup is the cgroup v2 hierarchy.
func canPause(m *Mode) bool {
	if !m.Rootless {
		return true
	}
	var st syscall.Statfs_t
	const cgroup2Magic = 0x63677270
	return syscall.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == cgroup2Magic
}

// logLines counts the lines of a container's output so far.
func (m *Mode) logLines(t testing.TB, name string) int {
	t.Helper()
	res := m.run(t, "logs", name)
	if res.Code != 0 {
		t.Fatalf("logs failed: %s", res)
	}
	return len(res.Lines())
}

// waitLogGrowth waits until the container prints more lines than it had.
func (m *Mode) waitLogGrowth(t testing.TB, name string) {
	t.Helper()
	before := m.logLines(t, name)
	eventually(t, func() (bool, string) {
		n := m.logLines(t, name)
		return n > before, "log lines: " + strconv.Itoa(before) + " then " + strconv.Itoa(n)
	})
}

// wantNoFreezer checks that pausing (or commit -p) was refused the way a
// host without a freezer for this mode must refuse it.
func wantNoFreezer(t testing.TB, res Result, name string) {
	t.Helper()
	wantErr(t, res, 125, "Error: cannot pause container "+name+": "+noFreezer)
	if !suite.podman && len(strings.Split(strings.TrimSpace(res.Stderr), "\n")) != 1 {
		t.Errorf("want a single line on stderr: %s", res)
	}
}

func TestPauseUnpause(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		since := time.Now().Add(-time.Second).Format(time.RFC3339Nano)
		id := m.runDetached(t, name, image, "sh", "-c", counter)
		m.waitLogs(t, name, "2\n")
		if !canPause(m) {
			wantNoFreezer(t, m.run(t, "pause", name), name)
			wantNoFreezer(t, m.run(t, "container", "pause", name), name)
			wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", name), "running false")
			m.waitLogGrowth(t, name)
			wantErr(t, m.run(t, "unpause", name), 125, "container "+id+" is not paused")
			return
		}

		wantOut(t, m.run(t, "pause", name), name)
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}", name), "paused true true")
		if st := m.psStatus(t)[name]; !pausedStatus.MatchString(st) {
			t.Errorf("ps: want %s %q, got %q", name, pausedStatus, st)
		}
		// Docker lists paused containers without -a, and by status=paused.
		if res := m.must(t, "ps", "--no-trunc", "-q"); !strings.Contains(res.Stdout, id) {
			t.Errorf("ps: want the paused container listed: %s", res)
		}
		if res := m.must(t, "ps", "--no-trunc", "-q", "--filter", "status=paused"); !strings.Contains(res.Stdout, id) {
			t.Errorf("ps --filter status=paused: want %s: %s", id, res)
		}
		if res := m.must(t, "ps", "-a", "--no-trunc", "-q", "--filter", "status=running"); strings.Contains(res.Stdout, id) {
			t.Errorf("ps --filter status=running lists a paused container: %s", res)
		}

		// The process stands still: the count it records itself does not
		// move. (Its output may still drain after the freeze, so the log is
		// no witness.) Load can only hide a wrongly running process here,
		// never fail a frozen one.
		pid, err := strconv.Atoi(m.inspectField(t, name, "{{.State.Pid}}"))
		if err != nil {
			t.Fatal(err)
		}
		frozen := count(t, pid)
		time.Sleep(1200 * time.Millisecond) // 6 counts, were it running
		if n := count(t, pid); n != frozen {
			t.Errorf("a paused container kept counting: %s, then %s", frozen, n)
		}

		wantErr(t, m.run(t, "exec", name, "true"), 125, "container "+id+" is paused, unpause the container before exec")
		wantErr(t, m.run(t, "pause", name), 125, "container "+id+" is already paused")
		wantErr(t, m.run(t, "start", name), 125, "cannot start a paused container, try unpause instead")
		if !suite.podman { // podman's rm exits 2 here
			wantErr(t, m.run(t, "rm", name), 125, "as it is paused")
		}

		wantOut(t, m.run(t, "unpause", name), name)
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", name), "running false")
		m.waitLogGrowth(t, name)
		wantErr(t, m.run(t, "unpause", name), 125, "container "+id+" is not paused")
		wantOut(t, m.run(t, "exec", name, "echo", "thawed"), "thawed")

		// `container pause`/`unpause` are the same commands.
		wantOut(t, m.run(t, "container", "pause", name), name)
		wantOut(t, m.run(t, "container", "unpause", name), name)

		until := time.Now().Add(time.Second).Format(time.RFC3339Nano)
		evs := m.must(t, "events", "--since", since, "--until", until, "--filter", "container="+name,
			"--filter", "event=pause", "--filter", "event=unpause", "--format", "{{.Action}}")
		if got := strings.Join(evs.Lines(), " "); got != "pause unpause pause unpause" {
			t.Errorf("events: want pause unpause pause unpause, got %q", got)
		}

		stopped := cname(t, "created")
		m.cleanup(t, stopped)
		m.must(t, "create", "--name", stopped, image, "true")
		stoppedID := m.containerID(t, stopped)
		wantErr(t, m.run(t, "pause", stopped), 125, "container "+stoppedID+" is not running")
		wantErr(t, m.run(t, "unpause", stopped), 125, "container "+stoppedID+" is not paused")
		wantErr(t, m.run(t, "pause", "nosuch-ctr"), 125, `no container with name or ID "nosuch-ctr" found`)
	})
}

// TestPausedStopKillRemove ends paused containers: the signal is delivered
// once the container is resumed, and the exit is recorded as usual.
func TestPausedStopKillRemove(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		if !canPause(m) {
			t.Skip("no freezer for this mode on this host (TestPauseUnpause checks the refusal)")
		}
		killed, stopped, removed := cname(t, "kill"), cname(t, "stop"), cname(t, "rm")
		for _, n := range []string{killed, stopped, removed} {
			m.runDetached(t, n, image, "sh", "-c", counter)
			m.waitLogs(t, n, "1\n")
			wantOut(t, m.run(t, "pause", n), n)
		}

		wantOut(t, m.run(t, "kill", killed), killed)
		wantOut(t, m.run(t, "wait", killed), "137")
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.Paused}} {{.State.ExitCode}}", killed), "exited false 137")

		// TERM reaches the trap: exit 0 at once. A stop whose signal waited
		// for the 600 s timeout would hang past the harness's timeout.
		wantOut(t, m.run(t, "stop", "-t", "600", stopped), stopped)
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", stopped), "exited 0")

		id := m.containerID(t, removed)
		pid, err := strconv.Atoi(m.inspectField(t, removed, "{{.State.Pid}}"))
		if err != nil || !pidAlive(pid) {
			t.Fatalf("paused container process %d (%v) is not alive", pid, err)
		}
		wantOut(t, m.run(t, "rm", "-f", removed), removed)
		wantNoContainer(t, m, removed, id, pid)
	})
}

// TestPausedByCrashedCLI freezes a container behind skiff's back, as a CLI
// killed between `runc pause` and its state write leaves it: the state still
// says running, and rm -f must still end and remove it.
func TestPausedByCrashedCLI(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		if m.Rootless {
			t.Skip("freezing needs a freezer cgroup: root only")
		}
		name := cname(t)
		id := m.runDetached(t, name, image, "sh", "-c", counter)
		m.waitLogs(t, name, "1\n")
		pid, err := strconv.Atoi(m.inspectField(t, name, "{{.State.Pid}}"))
		if err != nil {
			t.Fatal(err)
		}
		root := runtimeRoot(t, m, id)
		if out, err := exec.Command("runc", "--root", root, "pause", id).CombinedOutput(); err != nil {
			t.Fatalf("runc pause: %v: %s", err, out)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}}", name), "running")
		wantOut(t, m.run(t, "rm", "-f", name), name)
		wantNoContainer(t, m, name, id, pid)
	})
}

// wantNoContainer checks that a removed container left nothing behind: no
// process, no OCI runtime state, no entry in ps.
func wantNoContainer(t *testing.T, m *Mode, name, id string, pid int) {
	t.Helper()
	eventually(t, func() (bool, string) {
		return !pidAlive(pid), "container process " + strconv.Itoa(pid) + " still alive"
	})
	if dirs := runtimeStates(t, m, id); len(dirs) > 0 {
		t.Errorf("runtime state left behind: %v", dirs)
	}
	if st, ok := m.psStatus(t)[name]; ok {
		t.Errorf("ps -a still lists %s (%s)", name, st)
	}
}

// runtimeStates finds OCI runtime state directories of container id under
// the mode's run root (runc keeps <root>/<id>/state.json).
func runtimeStates(t testing.TB, m *Mode, id string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(m.runroot, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == id {
			if _, serr := os.Stat(filepath.Join(path, "state.json")); serr == nil {
				found = append(found, path)
			}
		}
		return nil
	})
	return found
}

// runtimeRoot is the runc --root that holds container id.
func runtimeRoot(t testing.TB, m *Mode, id string) string {
	t.Helper()
	dirs := runtimeStates(t, m, id)
	if len(dirs) != 1 {
		t.Fatalf("want one runtime state dir of %s under %s, got %v", id, m.runroot, dirs)
	}
	return filepath.Dir(dirs[0])
}

func TestCommitPause(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		ref := "localhost/" + name + ":1"
		t.Cleanup(func() { m.run(t, "rmi", "-f", ref) })
		m.runDetached(t, name, image, "sh", "-c", "echo snapshot > /made; "+counter)
		m.waitLogs(t, name, "1\n")
		if !canPause(m) {
			wantNoFreezer(t, m.run(t, "commit", "-p", name, ref), name)
			wantNoFreezer(t, m.run(t, "commit", "--pause", name, ref), name)
			wantCode(t, m.run(t, "image", "exists", ref), 1)
			m.must(t, "commit", name, ref)
			wantOut(t, m.must(t, "run", "--rm", ref, "cat", "/made"), "snapshot")
			return
		}
		res := m.must(t, "commit", "-p", name, ref)
		if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(res.Out()) {
			t.Errorf("commit -p: want the image ID: %s", res)
		}
		wantOut(t, m.must(t, "run", "--rm", ref, "cat", "/made"), "snapshot")
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", name), "running false")
		m.waitLogGrowth(t, name)

		// A container paused before the commit stays paused.
		m.must(t, "pause", name)
		m.must(t, "commit", "-p", name, ref)
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}}", name), "paused")
		m.must(t, "unpause", name)

		// A stopped container has nothing to freeze: -p changes nothing.
		m.must(t, "stop", name)
		m.must(t, "commit", "-p", name, ref)
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}}", name), "exited")
	})
}
