//go:build linux && cgo

package rootless

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// probeReport mirrors the JSON printed by testdata/probe.
type probeReport struct {
	IsRootless  bool
	UID, GID    int
	InNamespace bool
	Err         string
	NoSubIDs    bool
	Getuid      int
	UserNS      string
	MntNS       string
	UIDMap      string
	GIDMap      string
	RuntimeDir  string
	PausePID    int
	Cwd         string
	EnvUID      string
	Marker      string
	Child       *probeReport
}

// harness runs the probe as an unprivileged user.
type harness struct {
	t     *testing.T
	probe string
	base  string // world-searchable dir for per-test XDG_RUNTIME_DIRs
}

const (
	testUser  = "skifftest"
	nosubUser = "skiffnosub"
)

func newHarness(t *testing.T) *harness {
	t.Helper()
	// Not os.Geteuid: run by a user, this test binary is uid 0 inside
	// skiff's namespace.
	if IsRootless() {
		t.Skip("skipping rootless integration test: it must run as real root (it creates users and uses runuser)")
	}
	for _, tool := range []string{"runuser", "newuidmap", "newgidmap", "useradd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("integration test needs %s: %v", tool, err)
		}
	}
	ensureUsers(t)
	base, err := os.MkdirTemp("", "skiff-rootless-it-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, probe: filepath.Join(base, "probe"), base: base}
	t.Cleanup(func() { h.killPauses(); os.RemoveAll(base) })
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	build := exec.Command(goBin, "build", "-o", h.probe, "./testdata/probe")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building probe: %v\n%s", err, out)
	}
	return h
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// ensureUsers creates skifftest (with ranges, the project's convention)
// and skiffnosub (without ranges) idempotently.
func ensureUsers(t *testing.T) {
	if _, err := user.Lookup(testUser); err != nil {
		run(t, "useradd", "-m", "-s", "/bin/bash", testUser)
	}
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		if _, ok := subIDRange(t, f, testUser); !ok {
			appendLine(t, f, testUser+":200000:65536")
		}
	}
	if _, err := user.Lookup(nosubUser); err != nil {
		run(t, "useradd", "-M", "-s", "/bin/sh", "-K", "SUB_UID_COUNT=0", "-K", "SUB_GID_COUNT=0", nosubUser)
	}
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		dropUserLines(t, f, nosubUser)
	}
}

func appendLine(t *testing.T, path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, line); err != nil {
		t.Fatal(err)
	}
}

func dropUserLines(t *testing.T, path, name string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, l := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(l, name+":") {
			keep = append(keep, l)
		}
	}
	if out := strings.Join(keep, ""); out != string(b) {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// subIDRange parses path independently of the C code under test.
func subIDRange(t *testing.T, path, name string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if p := strings.Split(strings.TrimSpace(s.Text()), ":"); len(p) == 3 && p[0] == name {
			return p[1] + " " + p[2], true
		}
	}
	return "", false
}

// xdgDir makes a private XDG_RUNTIME_DIR for user, so that tests never
// touch the pause process other work uses in /tmp/skiff-<uid>.
func (h *harness) xdgDir(username string) string {
	u, err := user.Lookup(username)
	if err != nil {
		h.t.Fatal(err)
	}
	dir, err := os.MkdirTemp(h.base, "xdg-")
	if err != nil {
		h.t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		h.t.Fatal(err)
	}
	return dir
}

// probeAs runs the probe as username with a clean environment plus env.
func (h *harness) probeAs(username string, env []string, args ...string) probeReport {
	h.t.Helper()
	argv := append([]string{"-u", username, "--", "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"}, env...)
	argv = append(append(argv, h.probe), args...)
	cmd := exec.Command("runuser", argv...)
	cmd.Dir = h.base
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		h.t.Fatalf("probe %v as %s: %v\n%s%s", args, username, err, out, stderr)
	}
	var r probeReport
	if err := json.Unmarshal(out, &r); err != nil {
		h.t.Fatalf("probe output %q: %v", out, err)
	}
	return r
}

// pausesFor lists the skiff-pause processes started with XDG_RUNTIME_DIR=dir.
func pausesFor(dir string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if string(comm) != "skiff-pause\n" {
			continue
		}
		env, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		for _, kv := range strings.Split(string(env), "\x00") {
			if kv == "XDG_RUNTIME_DIR="+dir {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

func (h *harness) killPauses() {
	ents, _ := os.ReadDir(h.base)
	for _, e := range ents {
		for _, pid := range pausesFor(filepath.Join(h.base, e.Name())) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// waitGone waits for pid to end; the minute only catches a hang.
func waitGone(t *testing.T, pid int) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		// A zombie is gone too: our reaper is whatever pid 1 is.
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("pid %d did not go away", pid)
}

func mustJoined(t *testing.T, r probeReport) {
	t.Helper()
	if r.Err != "" || !r.InNamespace || !r.IsRootless || r.Getuid != 0 || r.PausePID <= 0 {
		t.Fatalf("not joined: %+v", r)
	}
}

func TestIntegrationRootless(t *testing.T) {
	h := newHarness(t)
	tu, err := user.Lookup(testUser)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(tu.Uid)
	subuid, _ := subIDRange(t, "/etc/subuid", testUser)
	subgid, _ := subIDRange(t, "/etc/subgid", testUser)
	xdg := h.xdgDir(testUser)
	env := []string{"XDG_RUNTIME_DIR=" + xdg}

	var first probeReport
	t.Run("real root does nothing", func(t *testing.T) {
		out, err := exec.Command(h.probe, "info").Output()
		if err != nil {
			t.Fatal(err)
		}
		var r probeReport
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		if r.IsRootless || r.InNamespace || r.Err != "" || r.RuntimeDir != "/run/skiff" || r.UID != 0 {
			t.Fatalf("root: %+v", r)
		}
	})
	t.Run("first run creates the pause process", func(t *testing.T) {
		first = h.probeAs(testUser, env, "info")
		mustJoined(t, first)
		if got := strings.Fields(first.UIDMap); strings.Join(got, " ") != fmt.Sprintf("0 %d 1 1 %s", uid, subuid) {
			t.Errorf("uid_map = %q, want 0 %d 1 / 1 %s", first.UIDMap, uid, subuid)
		}
		if got := strings.Fields(first.GIDMap); strings.Join(got, " ") != fmt.Sprintf("0 %s 1 1 %s", tu.Gid, subgid) {
			t.Errorf("gid_map = %q", first.GIDMap)
		}
		if first.UID != uid || first.EnvUID != tu.Uid || first.RuntimeDir != xdg+"/skiff" || first.Cwd != h.base {
			t.Errorf("report: %+v", first)
		}
		if pids := pausesFor(xdg); len(pids) != 1 || pids[0] != first.PausePID {
			t.Errorf("pause processes %v, want [%d]", pids, first.PausePID)
		}
		st, err := os.Stat(fmt.Sprintf("/proc/%d", first.PausePID))
		if err != nil || st.Sys().(*syscall.Stat_t).Uid != uint32(uid) {
			t.Errorf("pause process owner: %v", err)
		}
	})
	t.Run("second run joins the same namespaces", func(t *testing.T) {
		r := h.probeAs(testUser, env, "info")
		mustJoined(t, r)
		if r.UserNS != first.UserNS || r.MntNS != first.MntNS || r.PausePID != first.PausePID {
			t.Fatalf("second run: %s %s pid %d, first: %s %s pid %d", r.UserNS, r.MntNS, r.PausePID, first.UserNS, first.MntNS, first.PausePID)
		}
	})
	t.Run("mounts persist between runs and stay off the host", func(t *testing.T) {
		mustJoined(t, h.probeAs(testUser, env, "mount", "m1"))
		r := h.probeAs(testUser, env, "read", "m1")
		if r.Marker != "from run 1" {
			t.Fatalf("marker = %q", r.Marker)
		}
		host, _ := os.ReadFile("/proc/self/mountinfo")
		if strings.Contains(string(host), filepath.Join(xdg, "skiff", "m1")) {
			t.Fatal("the namespace's tmpfs is visible on the host")
		}
	})
	t.Run("children inherit the namespace through env", func(t *testing.T) {
		r := h.probeAs(testUser, env, "child")
		c := r.Child
		if c == nil || !c.InNamespace || c.UserNS != first.UserNS || c.MntNS != first.MntNS || c.UID != uid || c.EnvUID != tu.Uid || c.Err != "" {
			t.Fatalf("child: %+v", c)
		}
	})
	t.Run("argv rule skips and the force env overrides", func(t *testing.T) {
		// A connections file naming a default, as `skiff system
		// connection default` writes it, in a config dir the user reads.
		conf := h.xdgDir(testUser)
		if err := os.MkdirAll(filepath.Join(conf, "skiff"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(conf, "skiff", "connections.json"),
			[]byte(`{"default": "prod", "connections": {"prod": {"uri": "unix:///x"}}}`), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			env  []string
			args []string
		}{
			{env, []string{"version"}},
			{env, []string{"--help"}},
			{env, []string{"info", "--url", "unix:///x"}},
			{append([]string{"CONTAINER_HOST=unix:///x"}, env...), []string{"info"}},
			{append([]string{"CONTAINER_CONNECTION=prod"}, env...), []string{"info"}},
			{append([]string{"XDG_CONFIG_HOME=" + conf}, env...), []string{"info"}},
			{env, []string{"system", "dial-stdio"}},
		} {
			r := h.probeAs(testUser, tc.env, tc.args...)
			if r.InNamespace || !r.IsRootless || r.Getuid != uid || r.UID != uid || !strings.Contains(r.Err, "argv rule") {
				t.Errorf("%v: %+v", tc.args, r)
			}
		}
		r := h.probeAs(testUser, append([]string{EnvForce + "=1"}, env...), "version")
		mustJoined(t, r)
	})
	t.Run("a killed pause process is replaced", func(t *testing.T) {
		if err := syscall.Kill(first.PausePID, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		waitGone(t, first.PausePID)
		r := h.probeAs(testUser, env, "read", "m1")
		mustJoined(t, r)
		if r.PausePID == first.PausePID || r.UserNS == first.UserNS {
			t.Fatalf("not a fresh namespace: %+v", r)
		}
		if !strings.HasPrefix(r.Marker, "error:") {
			t.Fatalf("old mount still visible: %q", r.Marker)
		}
		first = r
	})
	t.Run("a stale pid file is replaced", func(t *testing.T) {
		// pid 1, and a process of the same user in another user
		// namespace: only the name check tells it is not ours.
		other := exec.Command("runuser", "-u", testUser, "--", "unshare", "-Urm", "sleep", "60")
		if err := other.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { other.Process.Kill(); other.Wait() }()
		var otherPID int
		for deadline := time.Now().Add(time.Minute); otherPID == 0 && time.Now().Before(deadline); {
			out, _ := exec.Command("pgrep", "-u", testUser, "-x", "sleep", "-P", strconv.Itoa(other.Process.Pid)).Output()
			otherPID, _ = strconv.Atoi(strings.TrimSpace(string(out)))
			time.Sleep(10 * time.Millisecond)
		}
		if otherPID == 0 {
			t.Fatal("could not find the unshared sleep")
		}
		otherNS, _ := os.Readlink(fmt.Sprintf("/proc/%d/ns/user", otherPID))
		for _, stale := range []int{1, otherPID} {
			prev := first
			syscall.Kill(prev.PausePID, syscall.SIGKILL)
			waitGone(t, prev.PausePID)
			if err := os.WriteFile(filepath.Join(xdg, "skiff", "pause.pid"), []byte(fmt.Sprintf("%d\n", stale)), 0o644); err != nil {
				t.Fatal(err)
			}
			first = h.probeAs(testUser, env, "info")
			mustJoined(t, first)
			if first.PausePID == stale || first.UserNS == prev.UserNS || first.UserNS == otherNS {
				t.Fatalf("stale pid file (%d) not replaced: %+v", stale, first)
			}
			if pids := pausesFor(xdg); len(pids) != 1 {
				t.Fatalf("pause processes %v, want one", pids)
			}
		}
	})
	t.Run("concurrent first runs agree on one pause process", func(t *testing.T) {
		dir := h.xdgDir(testUser)
		cenv := []string{"XDG_RUNTIME_DIR=" + dir}
		reports := make([]probeReport, 10)
		var wg sync.WaitGroup
		for i := range reports {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reports[i] = h.probeAs(testUser, cenv, "info")
			}()
		}
		wg.Wait()
		for i, r := range reports {
			mustJoined(t, r)
			if r.UserNS != reports[0].UserNS || r.MntNS != reports[0].MntNS || r.PausePID != reports[0].PausePID {
				t.Errorf("run %d: %s pid %d, run 0: %s pid %d", i, r.UserNS, r.PausePID, reports[0].UserNS, reports[0].PausePID)
			}
		}
		if pids := pausesFor(dir); len(pids) != 1 {
			t.Fatalf("pause processes %v, want exactly one", pids)
		}
	})
	t.Run("the /tmp fallback works without XDG_RUNTIME_DIR", func(t *testing.T) {
		// This is the user's real fallback dir: leave a pause process
		// there only if one was there before.
		pidFile := fmt.Sprintf("/tmp/skiff-%d/skiff/pause.pid", uid)
		before, _ := os.ReadFile(pidFile)
		r := h.probeAs(testUser, nil, "info")
		if b := strings.TrimSpace(string(before)); b != strconv.Itoa(r.PausePID) && r.PausePID > 0 {
			t.Cleanup(func() { syscall.Kill(r.PausePID, syscall.SIGKILL) })
		}
		mustJoined(t, r)
		if r.RuntimeDir != fmt.Sprintf("/tmp/skiff-%d/skiff", uid) {
			t.Fatalf("runtime dir %q", r.RuntimeDir)
		}
	})
	t.Run("a user without subordinate ids gets a clear error", func(t *testing.T) {
		r := h.probeAs(nosubUser, []string{"XDG_RUNTIME_DIR=" + h.xdgDir(nosubUser)}, "info")
		want := `no subuid ranges found for user "skiffnosub" in /etc/subuid: ask an administrator to run "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 skiffnosub"`
		if r.InNamespace || !r.IsRootless || !r.NoSubIDs || !strings.Contains(r.Err, want) {
			t.Fatalf("got %+v\nwant error containing %s", r, want)
		}
	})
	t.Run("a foreign or planted /tmp runtime dir is refused", func(t *testing.T) {
		nu, err := user.Lookup(nosubUser)
		if err != nil {
			t.Fatal(err)
		}
		dir := "/tmp/skiff-" + nu.Uid
		os.RemoveAll(dir)
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.Mkdir(dir, 0o700); err != nil { // owned by root
			t.Fatal(err)
		}
		if r := h.probeAs(nosubUser, nil, "info"); !strings.Contains(r.Err, "owned by uid 0") || r.NoSubIDs {
			t.Errorf("root-owned dir: %+v", r)
		}
		os.Remove(dir)
		if err := os.Symlink(h.base, dir); err != nil {
			t.Fatal(err)
		}
		if r := h.probeAs(nosubUser, nil, "info"); !strings.Contains(r.Err, "not a directory") {
			t.Errorf("symlink: %+v", r)
		}
	})
}
