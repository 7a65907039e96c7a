package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// leftovers lists processes whose command line or environment names the
// container ID (conmon has it in its arguments, `runc init` in
// _LIBCONTAINER_STATEDIR), and mounts that name it, in our mount namespace
// and every one the mode's user has processes in (the rootless pause
// process's among them).
func leftovers(m *Mode, id string) []string {
	var out []string
	seenNS := map[string]bool{}
	self, _ := os.Readlink("/proc/self/ns/mnt")
	for _, p := range processes() {
		if strings.Contains(p.cmdline, id) || strings.Contains(p.environ, id) {
			out = append(out, fmt.Sprintf("process %d %q", p.pid, clip(p.cmdline)))
		}
		if p.mntNS == "" || seenNS[p.mntNS] {
			continue
		}
		// Root mode mounts live in our namespace; rootless ones in the user's.
		if p.mntNS != self && !(m.Rootless && p.uid == m.uid) {
			continue
		}
		seenNS[p.mntNS] = true
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", p.pid))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, id) {
				out = append(out, fmt.Sprintf("mount in ns of %d: %s", p.pid, l))
			}
		}
	}
	return out
}

func TestKillCLIDuringRun(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c := m.cmd(ctx, "run", "--name", name, image, "sleep", "1000")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = c.Wait(); close(exited) }()
		eventually(t, func() (bool, string) {
			st := m.psStatus(t)
			_, ok := st[name]
			return ok, fmt.Sprint(st)
		})
		id := m.containerID(t, name)
		// SIGKILL the CLI itself (the credentials switch happens in-process,
		// so this is the engine, not a wrapper).
		if err := syscall.Kill(c.Process.Pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited

		st := m.psStatus(t)
		if s := st[name]; !strings.HasPrefix(s, "Created") && !strings.HasPrefix(s, "Up") {
			t.Errorf("after the CLI was killed: want %s Created or Up, got %q", name, s)
		}
		ctrPid, _ := strconv.Atoi(m.inspectField(t, name, "{{.State.Pid}}"))
		res := m.rmForce(t, name)
		wantCode(t, res, 0)
		wantCode(t, m.run(t, "container", "exists", name), 1)
		eventually(t, func() (bool, string) {
			l := leftovers(m, id)
			if ctrPid > 0 && pidAlive(ctrPid) {
				l = append(l, fmt.Sprintf("container process %d still alive", ctrPid))
			}
			return len(l) == 0, strings.Join(l, "\n")
		})
	})
}

func TestRmContainerKilledBySignal(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.must(t, "run", "-d", "--rm", image, "sleep", "1000")
		id := res.Out()
		if !hex64.MatchString(id) {
			t.Fatalf("run -d --rm: want an ID, got: %s", res)
		}
		t.Cleanup(func() { m.rmForce(t, id) })
		wantCode(t, m.run(t, "kill", "-s", "KILL", id), 0)
		eventually(t, func() (bool, string) {
			r := m.run(t, "ps", "-a", "-q", "--no-trunc")
			return !strings.Contains(r.Stdout, id), r.String()
		})
		eventually(t, func() (bool, string) {
			l := leftovers(m, id)
			return len(l) == 0, strings.Join(l, "\n")
		})
	})
}

func TestConcurrentRunRemove(t *testing.T) {
	const n = 20
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		ids := make([]string, n)
		results := make([]Result, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = m.runWith(t, runOpts{timeout: 2 * time.Minute}, "run", "-d", image, "sleep", "1000")
				ids[i] = results[i].Out()
			}()
		}
		wg.Wait()
		for _, r := range results {
			if r.Code != 0 || !hex64.MatchString(r.Out()) {
				t.Errorf("concurrent run -d failed: %s", r)
			}
			if strings.Contains(r.Stderr, "database is locked") {
				t.Errorf("concurrent run -d hit a locked database: %s", r)
			}
		}
		listed := m.must(t, "ps", "-a", "-q", "--no-trunc").Lines()
		if len(listed) != n {
			t.Errorf("ps -a -q: want %d containers, got %d: %v", n, len(listed), listed)
		}
		running := m.must(t, "ps", "-q").Lines()
		if len(running) != n {
			t.Errorf("ps -q: want %d running, got %d", n, len(running))
		}

		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = m.rmForce(t, ids[i])
			}()
		}
		wg.Wait()
		for _, r := range results {
			if r.Code != 0 {
				t.Errorf("concurrent rm -f failed: %s", r)
			}
			if strings.Contains(r.Stderr, "database is locked") {
				t.Errorf("concurrent rm -f hit a locked database: %s", r)
			}
		}
		if res := m.must(t, "ps", "-a", "-q"); res.Out() != "" {
			t.Errorf("after concurrent rm -f: want no containers, got: %s", res)
		}
	})
}
