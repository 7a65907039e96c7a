package oci

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opencontainers/runtime-tools/generate"
)

// The tests drive the real runc and conmon against a busybox root file
// system built once per test binary. They need uid 0: real root, or root in
// a user namespace (see rootless_test.go).

// hangTimeout bounds every wait of these tests. It only catches a hang: the
// machine may be loaded, so nothing here decides by the clock whether
// something happened in time.
const hangTimeout = time.Minute

var (
	testRootfs string // shared, read-only in every container
	testTmp    string
	idCounter  atomic.Int64
)

func TestMain(m *testing.M) {
	if helperMain() {
		return
	}
	code := func() int {
		dir, err := os.MkdirTemp("", "skiff-oci-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		testTmp = dir
		if os.Geteuid() == 0 {
			if testRootfs, err = buildRootfs(filepath.Join(dir, "rootfs")); err != nil {
				fmt.Fprintln(os.Stderr, "building rootfs:", err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// buildRootfs makes a minimal root file system from busybox-static: the
// binary plus a relative symlink per applet.
func buildRootfs(dir string) (string, error) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		bb = "/usr/bin/busybox"
	}
	for _, d := range []string{"bin", "proc", "sys", "dev", "etc", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return "", err
		}
	}
	data, err := os.ReadFile(bb)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "busybox"), data, 0o755); err != nil {
		return "", err
	}
	list, err := exec.Command(bb, "--list").Output()
	if err != nil {
		return "", err
	}
	for _, applet := range strings.Fields(string(list)) {
		if applet == "busybox" {
			continue
		}
		if err := os.Symlink("busybox", filepath.Join(dir, "bin", applet)); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// gidMapped reports whether gid is mapped in this user namespace.
func gidMapped(gid uint64) bool {
	b, err := os.ReadFile("/proc/self/gid_map")
	if err != nil {
		return true
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var inside, outside, count uint64
		if _, err := fmt.Sscan(line, &inside, &outside, &count); err == nil && gid >= inside && gid < inside+count {
			return true
		}
	}
	return false
}

type testEnv struct {
	rt      *Runtime
	exitDir string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	// rootless_test.go's init has already put an unprivileged run into
	// skiff's user namespace, so anything but uid 0 here is skiff's
	// failure. make test installs runc and conmon, so a failing Detect is
	// one too: neither may pass as a skip.
	if os.Geteuid() != 0 {
		t.Fatalf("running as uid %d: the rootless namespace set-up should have made this uid 0", os.Geteuid())
	}
	rt, err := Detect(context.Background(), DetectOptions{Root: filepath.Join(testTmp, "runc-root"), LogLevel: "warning"})
	if err != nil {
		t.Fatalf("Detect with the runc and conmon hack/install-deps.sh installs: %v", err)
	}
	return &testEnv{rt: rt, exitDir: filepath.Join(testTmp, "exits")}
}

// specOpts shapes a test container's config.json.
type specOpts struct {
	args []string
	tty  bool
}

// writeBundle writes config.json into a fresh bundle dir (or into dir when
// given) the way skiff's rootless spec looks: no cgroup path, no resources.
func writeBundle(t *testing.T, dir string, o specOpts) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	g, err := generate.New("linux")
	if err != nil {
		t.Fatal(err)
	}
	g.SetProcessArgs(o.args)
	g.SetProcessTerminal(o.tty)
	g.SetRootPath(testRootfs)
	g.SetRootReadonly(true)
	g.SetLinuxCgroupsPath("")
	g.Config.Linux.Resources = nil
	if !gidMapped(5) {
		// gid 5 (tty) is not mapped in a single-id namespace.
		for i, m := range g.Config.Mounts {
			if m.Destination == "/dev/pts" {
				var opts []string
				for _, opt := range m.Options {
					if opt != "gid=5" {
						opts = append(opts, opt)
					}
				}
				g.Config.Mounts[i].Options = opts
			}
		}
	}
	if err := g.SaveToFile(filepath.Join(dir, "config.json"), generate.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newID(t *testing.T) string {
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())
	return fmt.Sprintf("%s-%d-%d", strings.ToLower(name), os.Getpid(), idCounter.Add(1))
}

// createOpts fills CreateOptions for a test container in bundle.
func (e *testEnv) createOpts(id, bundle string) CreateOptions {
	return CreateOptions{
		ID:         id,
		Bundle:     bundle,
		LogPath:    filepath.Join(bundle, "ctr.log"),
		ExitDir:    e.exitDir,
		PersistDir: filepath.Join(bundle, "persist"),
	}
}

// create creates a container and registers its forced deletion.
func (e *testEnv) create(t *testing.T, opts CreateOptions) *CreateResult {
	t.Helper()
	res, err := e.rt.CreateContainer(context.Background(), opts)
	if err != nil {
		t.Fatalf("CreateContainer: %v", err)
	}
	t.Cleanup(func() { _ = e.rt.DeleteContainer(context.Background(), opts.ID, true) })
	return res
}

func (e *testEnv) wait(t *testing.T, id string, pid int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	code, finished, err := WaitExit(ctx, e.exitDir, id, pid)
	if err != nil {
		t.Fatalf("WaitExit: %v", err)
	}
	if time.Since(finished) > time.Hour || finished.After(time.Now().Add(time.Second)) {
		t.Errorf("finish time %v is not recent", finished)
	}
	return code
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
