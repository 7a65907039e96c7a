package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rundirCaller runs the rootless user's skiff on one storage (--root
// only, so that the runtime files follow the runtime dir) with or without
// XDG_RUNTIME_DIR, the way a login shell and a cron job or `ssh host
// skiff …` differ.
type rundirCaller struct {
	m    *Mode
	root string
}

func (c rundirCaller) run(t *testing.T, xdg string, args ...string) Result {
	t.Helper()
	m := *c.m
	m.extraEnv = nil
	if xdg != "" {
		m.extraEnv = []string{"XDG_RUNTIME_DIR=" + xdg}
	}
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	defer cancel()
	cmd := m.cmdWith(ctx, []string{"--root", c.root}, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := Result{Args: append([]string{"skiff", "--root", c.root}, args...), Duration: time.Since(start),
		Stdout: stdout.String(), Stderr: stderr.String(), Code: exitCode(cmd, err)}
	if xdg == "" {
		res.Args = append([]string{"(no XDG_RUNTIME_DIR)"}, res.Args...)
	}
	t.Logf("%s", res)
	return res
}

func (c rundirCaller) must(t *testing.T, xdg string, args ...string) Result {
	t.Helper()
	res := c.run(t, xdg, args...)
	if res.Code != 0 {
		t.Fatalf("command failed: %s", res)
	}
	return res
}

// infoField reads "  key: value" from plain `skiff info`.
func infoField(res Result, key string) string {
	for _, l := range strings.Split(res.Stdout, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), key+": "); ok {
			return v
		}
	}
	return ""
}

// TestOneNamespacePerStorage: containers started from a login session
// (XDG_RUNTIME_DIR set) stay manageable from a shell without it, through
// the same pause process and runtime files, and rm -f really removes them.
// A command line whose storage the constructor cannot see is refused in
// one line instead of making a second namespace.
func TestOneNamespacePerStorage(t *testing.T) {
	t.Parallel()
	m := rootlessLocalMode(t)
	dir := m.tempDir(t)
	xdg := filepath.Join(dir, "xdg")
	if err := os.Mkdir(xdg, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(xdg, m.uid, m.gid); err != nil {
		t.Fatal(err)
	}
	c := rundirCaller{m: m, root: filepath.Join(dir, "root")}
	t.Cleanup(func() {
		c.run(t, xdg, "rm", "-af")
		c.run(t, xdg, "rmi", "-af")
		killPauseIn(filepath.Join(xdg, "skiff"))
	})

	c.must(t, xdg, "import", "--change", `CMD ["sh"]`, suite.rootfs, image)
	login := c.must(t, xdg, "info")
	pause := infoField(login, "pausePid")
	if infoField(login, "runtimeDir") != filepath.Join(xdg, "skiff") || pause == "" {
		t.Fatalf("login session: runtime dir %q, pause %q", infoField(login, "runtimeDir"), pause)
	}
	marker := strconv.Itoa(400000 + int(fnv32(t.Name())%100000))
	name := cname(t)
	c.must(t, xdg, "run", "-d", "--name", name, image, "sleep", marker)

	cron := c.must(t, "", "info")
	if got := infoField(cron, "runtimeDir"); got != filepath.Join(xdg, "skiff") {
		t.Errorf("without XDG_RUNTIME_DIR the storage's runtime dir was not used: %q", got)
	}
	if got := infoField(cron, "pausePid"); got != pause {
		t.Errorf("without XDG_RUNTIME_DIR another pause process served the storage: %s, want %s", got, pause)
	}
	if st := c.must(t, "", "ps", "--format", "{{.Names}} {{.State}}").Out(); st != name+" running" {
		t.Errorf("ps: %q", st)
	}
	wantOut(t, c.must(t, "", "exec", name, "echo", "exec-ok"), "exec-ok")
	c.must(t, "", "stop", "-t", "1", name)
	if pids := sleepers(marker); len(pids) != 0 {
		t.Errorf("stop without XDG_RUNTIME_DIR left the container's process %v", pids)
	}
	c.must(t, "", "start", name)
	c.must(t, "", "rm", "-f", name)
	if pids := sleepers(marker); len(pids) != 0 {
		t.Errorf("rm -f reported success but the container's process %v still runs", pids)
	}

	// A --root the constructor does not look for (after a value-taking
	// flag of the subcommand) while the recorded namespace lives: refused,
	// naming the runtime dir to use.
	res := c.runNoRootFlag(t, "run", "--name", name+"-2", "--root", c.root, "--rm", image, "true")
	if res.Code != 125 || !strings.Contains(res.Stderr, "XDG_RUNTIME_DIR="+xdg) || strings.Count(strings.TrimSpace(res.Stderr), "\n") != 0 {
		t.Errorf("want one line naming XDG_RUNTIME_DIR=%s and exit 125, got: %s", xdg, res)
	}

	// Once the recorded namespace is gone, the storage moves to the
	// command's own runtime dir.
	killPauseIn(filepath.Join(xdg, "skiff"))
	after := c.must(t, "", "info")
	if got := infoField(after, "runtimeDir"); got == filepath.Join(xdg, "skiff") || got == "" {
		t.Errorf("a dead recorded namespace was still used: %q", got)
	}
	c.must(t, "", "run", "--rm", image, "true")
}

// runNoRootFlag passes --root where only the engine's flag parser sees it.
func (c rundirCaller) runNoRootFlag(t *testing.T, args ...string) Result {
	t.Helper()
	m := *c.m
	m.extraEnv = nil
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	defer cancel()
	cmd := m.cmdWith(ctx, nil, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Args: append([]string{"(no XDG_RUNTIME_DIR) skiff"}, args...), Stdout: stdout.String(), Stderr: stderr.String(), Code: exitCode(cmd, err)}
	t.Logf("%s", res)
	return res
}

// rootlessLocalMode is the suite's local rootless mode.
func rootlessLocalMode(t *testing.T) *Mode {
	t.Helper()
	if suite.podman {
		t.Skip("skiff's runtime dir rule: podman keeps its own")
	}
	for _, m := range suite.modes {
		if m.Rootless && !m.Remote {
			return m
		}
	}
	t.Skip("needs the rootless mode (SKIFF_E2E_MODES)")
	return nil
}

// sleepers lists the pids of `sleep MARKER` processes.
func sleepers(marker string) []int {
	var out []int
	for _, p := range processes() {
		if strings.TrimSpace(p.cmdline) == "sleep "+marker {
			out = append(out, p.pid)
		}
	}
	return out
}

// killPauseIn ends the skiff pause process whose pid file is in dir.
func killPauseIn(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "pause.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return
	}
	if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) == "skiff-pause" {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		for i := 0; i < 100; i++ {
			if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err != nil || strings.Contains(string(st), ") Z ") {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
