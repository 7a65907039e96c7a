package oci

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestFreezerProbe(t *testing.T) {
	tmp := t.TempDir()
	v1Root := filepath.Join(tmp, "cgroup") // a plain directory: not cgroup2, so v1 rules
	freezer := filepath.Join(v1Root, "freezer", "skiff", "c1")
	if err := os.MkdirAll(freezer, 0o755); err != nil {
		t.Fatal(err)
	}
	rt := &Runtime{Root: filepath.Join(tmp, "runtime")}
	write := func(id, state string) {
		dir := filepath.Join(rt.Root, id)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(state), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// What runc 1.1 records on a hybrid host: a root container gets every
	// controller, a rootless one only the paths it wanted but never made.
	write("root", `{"id":"root","cgroup_paths":{"":"/nonexistent/unified/root","freezer":"`+freezer+`"}}`)
	write("rootless", `{"id":"rootless","cgroup_paths":{"":"/nonexistent/unified/rootless","name=systemd":"/nonexistent/systemd/rootless"}}`)
	write("gone", `{"id":"gone","cgroup_paths":{"freezer":"`+filepath.Join(v1Root, "freezer", "gone")+`"}}`)
	write("garbage", `not json`)
	cases := []struct {
		id       string
		rootless bool
		want     bool   // a *NoFreezerError
		text     string // its reason
	}{
		{id: "root"},
		{id: "root", rootless: true},
		{id: "rootless", rootless: true, want: true, text: "rootless containers on a cgroup v1 host have no freezer cgroup"},
		{id: "gone", want: true},
		// Nothing readable (crun, or no state yet): the host decides.
		{id: "unknown"},
		{id: "unknown", rootless: true, want: true, text: "rootless containers on a cgroup v1 host have no freezer cgroup"},
		{id: "garbage", rootless: true, want: true},
	}
	for _, tc := range cases {
		err := rt.Freezer(tc.id, FreezerOptions{Rootless: tc.rootless, CgroupRoot: v1Root})
		var nf *NoFreezerError
		if tc.want != errors.As(err, &nf) || err != nil && nf == nil {
			t.Errorf("Freezer(%s, rootless=%v) = %v, want %v", tc.id, tc.rootless, err, tc.want)
		}
		if tc.text != "" && (err == nil || !strings.Contains(err.Error(), tc.text)) {
			t.Errorf("Freezer(%s, rootless=%v) = %v, want text %q", tc.id, tc.rootless, err, tc.text)
		}
	}
}

// TestPauseResume freezes a real container that prints a counter. As real
// root the freezer must work; in skiff's user namespace on a cgroup v1 host
// the probe must say no, and runc must agree.
func TestPauseResume(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := newID(t)
	// The count goes to the log and to a file the process writes itself:
	// after a freeze the log may still drain, the file stands still.
	opts := e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"sh", "-c",
		"i=0; while :; do i=$((i+1)); echo $i; echo $i > /dev/shm/count; sleep 0.1; done"}}))
	res := e.create(t, opts)
	if err := e.rt.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	inUserNS := userNamespaced()
	wantNoFreezer := inUserNS && !isCgroup2("/sys/fs/cgroup")
	ferr := e.rt.Freezer(id, FreezerOptions{Rootless: inUserNS})
	var nf *NoFreezerError
	if wantNoFreezer != errors.As(ferr, &nf) || ferr != nil && nf == nil {
		t.Fatalf("Freezer = %v; want a NoFreezerError: %v", ferr, wantNoFreezer)
	}
	if wantNoFreezer {
		if err := e.rt.PauseContainer(ctx, id); err == nil {
			t.Error("runc paused a container the probe called unfreezable")
		}
		return
	}
	lines := func() int {
		b, _ := os.ReadFile(opts.LogPath)
		return strings.Count(string(b), "\n")
	}
	waitGrowth(t, lines)
	if err := e.rt.PauseContainer(ctx, id); err != nil {
		t.Fatalf("PauseContainer: %v", err)
	}
	if err := e.rt.PauseContainer(ctx, id); !errors.Is(err, errdefs.ErrCtrNotRunning) {
		t.Errorf("second pause: %v, want ErrCtrNotRunning", err)
	}
	// Load can only hide a process that wrongly runs on, never fail a
	// frozen one: the count cannot move.
	count := func() string {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/root/dev/shm/count", res.PID))
		if err != nil {
			t.Fatalf("reading the container's count: %v", err)
		}
		return strings.TrimSpace(string(b))
	}
	frozen := count()
	time.Sleep(time.Second) // 10 counts, were it running
	if got := count(); got != frozen {
		t.Errorf("a paused container kept counting: %s, then %s", frozen, got)
	}
	if err := e.rt.ResumeContainer(ctx, id); err != nil {
		t.Fatalf("ResumeContainer: %v", err)
	}
	if err := e.rt.ResumeContainer(ctx, id); !errors.Is(err, errdefs.ErrCtrStateInvalid) {
		t.Errorf("second resume: %v, want ErrCtrStateInvalid", err)
	}
	waitGrowth(t, lines)

	// A paused container still dies of SIGKILL once thawed.
	if err := e.rt.PauseContainer(ctx, id); err != nil {
		t.Fatalf("PauseContainer: %v", err)
	}
	if err := e.rt.KillContainer(ctx, id, syscall.SIGKILL, false); err != nil {
		t.Fatalf("KillContainer: %v", err)
	}
	_ = e.rt.ResumeContainer(ctx, id) // runc may have thawed it for SIGKILL already
	if got := e.wait(t, id, res.PID); got != 137 {
		t.Errorf("exit code = %d, want 137", got)
	}
	if err := e.rt.ResumeContainer(ctx, "no-such-ctr"); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Errorf("resume of unknown container: %v, want ErrNoSuchContainer", err)
	}
}

// waitGrowth waits until count grows, failing the test after hangTimeout.
func waitGrowth(t *testing.T, count func() int) {
	t.Helper()
	start := count()
	deadline := time.Now().Add(hangTimeout)
	for count() <= start {
		if time.Now().After(deadline) {
			t.Fatalf("output did not grow past %d lines", start)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// userNamespaced reports whether this process runs in a user namespace
// other than the initial one (whose uid_map maps all 2^32-1 ids).
func userNamespaced() bool {
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	return !(len(f) == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295")
}
