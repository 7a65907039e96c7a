package oci

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestLifecycleExitCodes(t *testing.T) {
	e := newTestEnv(t)
	cases := []struct {
		name    string
		args    []string
		want    int
		wantLog []string
	}{
		{name: "true", args: []string{"true"}, want: 0},
		{name: "exit 3", args: []string{"sh", "-c", "echo hello; echo oops >&2; exit 3"}, want: 3,
			wantLog: []string{" stdout F hello", " stderr F oops"}},
		// Signal deaths (128+sig) are covered by TestKillAndErrors: the
		// container's pid 1 cannot kill itself.
		{name: "exit 255", args: []string{"sh", "-c", "exit 255"}, want: 255},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := newID(t)
			bundle := writeBundle(t, "", specOpts{args: tc.args})
			opts := e.createOpts(id, bundle)
			res := e.create(t, opts)
			if res.PID <= 0 || res.ConmonPID <= 0 {
				t.Fatalf("CreateResult = %+v, want both pids", res)
			}
			if _, err := os.Stat(filepath.Join(bundle, "attach")); err != nil {
				t.Errorf("attach socket missing after create: %v", err)
			}
			if err := e.rt.StartContainer(context.Background(), id); err != nil {
				t.Fatalf("StartContainer: %v", err)
			}
			if got := e.wait(t, id, res.PID); got != tc.want {
				t.Errorf("exit code = %d, want %d", got, tc.want)
			}
			code, _, err := ReadExitFile(e.exitDir, id)
			if err != nil || code != tc.want {
				t.Errorf("ReadExitFile = %d, %v; want %d", code, err, tc.want)
			}
			if b, err := os.ReadFile(filepath.Join(opts.PersistDir, "exit")); err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(tc.want) {
				t.Errorf("persist exit file = %q, %v", b, err)
			}
			if len(tc.wantLog) > 0 {
				log, err := os.ReadFile(opts.LogPath)
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range tc.wantLog {
					if !strings.Contains(string(log), w) {
						t.Errorf("log lacks %q:\n%s", w, log)
					}
				}
			}
			for i := 0; i < 2; i++ {
				if err := e.rt.DeleteContainer(context.Background(), id, false); err != nil {
					t.Errorf("DeleteContainer #%d: %v", i+1, err)
				}
			}
		})
	}
}

func TestKillAndErrors(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := newID(t)
	res := e.create(t, e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"sleep", "100"}})))
	if err := e.rt.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.StartContainer(ctx, id); !errors.Is(err, errdefs.ErrCtrStateInvalid) {
		t.Errorf("second start: %v, want ErrCtrStateInvalid", err)
	}
	if err := e.rt.KillContainer(ctx, id, syscall.SIGKILL, false); err != nil {
		t.Fatalf("KillContainer: %v", err)
	}
	if got := e.wait(t, id, res.PID); got != 137 {
		t.Errorf("exit code = %d, want 137", got)
	}
	if err := e.rt.KillContainer(ctx, id, syscall.SIGTERM, false); !errors.Is(err, errdefs.ErrCtrNotRunning) {
		t.Errorf("kill of stopped container: %v, want ErrCtrNotRunning", err)
	}
	if err := e.rt.KillContainer(ctx, "no-such-ctr", syscall.SIGTERM, true); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Errorf("kill of unknown container: %v, want ErrNoSuchContainer", err)
	}
	if err := e.rt.DeleteContainer(ctx, "no-such-ctr", false); err != nil {
		t.Errorf("delete of unknown container: %v", err)
	}
	if err := e.rt.StartContainer(ctx, "no-such-ctr"); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Errorf("start of unknown container: %v, want ErrNoSuchContainer", err)
	}
}

func TestDeleteForceRunning(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := newID(t)
	res := e.create(t, e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"sleep", "100"}})))
	if err := e.rt.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.DeleteContainer(ctx, id, false); err == nil {
		t.Error("delete of a running container without force succeeded")
	}
	if err := e.rt.DeleteContainer(ctx, id, true); err != nil {
		t.Fatalf("forced delete: %v", err)
	}
	if got := e.wait(t, id, res.PID); got != 137 {
		t.Errorf("exit code after forced delete = %d, want 137", got)
	}
}

func TestCreateErrors(t *testing.T) {
	e := newTestEnv(t)
	cases := []struct {
		name  string
		args  []string
		class error
		text  string
	}{
		{name: "missing binary", args: []string{"/nonexistent"}, class: errdefs.ErrCommandNotFound, text: "/nonexistent"},
		{name: "not in PATH", args: []string{"nosuchcmd"}, class: errdefs.ErrCommandNotFound, text: "nosuchcmd"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := newID(t)
			opts := e.createOpts(id, writeBundle(t, "", specOpts{args: tc.args}))
			_, err := e.rt.CreateContainer(ctxTimeout(t, hangTimeout), opts)
			t.Cleanup(func() { _ = e.rt.DeleteContainer(context.Background(), id, true) })
			t.Logf("error: %v", err)
			if !errors.Is(err, tc.class) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("CreateContainer error = %v; want class %v mentioning %q", err, tc.class, tc.text)
			}
		})
	}
	t.Run("bad bundle", func(t *testing.T) {
		opts := e.createOpts(newID(t), t.TempDir()) // no config.json
		if _, err := e.rt.CreateContainer(ctxTimeout(t, hangTimeout), opts); err == nil || !strings.Contains(err.Error(), "config.json") {
			t.Errorf("CreateContainer error = %v; want one naming config.json", err)
		}
	})
}

// TestDetachedSurvivesCaller creates and starts a container from a separate
// process that then exits: conmon and the container must live on.
func TestDetachedSurvivesCaller(t *testing.T) {
	e := newTestEnv(t)
	id := newID(t)
	bundle := writeBundle(t, "", specOpts{args: []string{"sleep", "100"}})
	t.Cleanup(func() { _ = e.rt.DeleteContainer(context.Background(), id, true) })
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"=create-start", "HELPER_ID="+id, "HELPER_BUNDLE="+bundle,
		"HELPER_EXITDIR="+e.exitDir, "HELPER_ROOT="+e.rt.Root)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	fields := strings.Fields(string(out))
	if len(fields) != 2 {
		t.Fatalf("helper output %q, want two pids", out)
	}
	pid, _ := strconv.Atoi(fields[0])
	conmonPID, _ := strconv.Atoi(fields[1])
	time.Sleep(100 * time.Millisecond)
	for _, p := range []int{pid, conmonPID} {
		if err := syscall.Kill(p, 0); err != nil {
			t.Errorf("process %d gone after the caller exited: %v", p, err)
		}
	}
	// conmon's monitor must be its own session leader, detached from ours.
	if sid, _ := getsid(conmonPID); sid != conmonPID {
		t.Errorf("conmon session = %d, want its own (%d)", sid, conmonPID)
	}
	// SIGKILL: pid 1 of a pid namespace ignores signals it has no handler for.
	if err := e.rt.KillContainer(context.Background(), id, syscall.SIGKILL, false); err != nil {
		t.Fatal(err)
	}
	if got := e.wait(t, id, pid); got != 137 {
		t.Errorf("exit code = %d, want 137", got)
	}
}

func getsid(pid int) (int, error) {
	sid, _, errno := syscall.RawSyscall(syscall.SYS_GETSID, uintptr(pid), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(sid), nil
}

func TestWaitExitEdges(t *testing.T) {
	dir := t.TempDir()
	t.Run("absent file is ErrNotExist", func(t *testing.T) {
		if _, _, err := ReadExitFile(dir, "nope"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("ReadExitFile = %v, want ErrNotExist", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, _, err := WaitExit(ctx, dir, "never", 0)
			done <- err
		}()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("WaitExit = %v, want context.Canceled", err)
			}
		case <-time.After(hangTimeout):
			t.Error("WaitExit ignored its cancelled context")
		}
	})
	t.Run("file written later", func(t *testing.T) {
		go func() {
			time.Sleep(50 * time.Millisecond)
			tmp := filepath.Join(dir, ".tmp")
			_ = os.WriteFile(tmp, []byte("42"), 0o644)
			_ = os.Rename(tmp, filepath.Join(dir, "later"))
		}()
		code, _, err := WaitExit(ctxTimeout(t, hangTimeout), dir, "later", 0)
		if err != nil || code != 42 {
			t.Errorf("WaitExit = %d, %v; want 42", code, err)
		}
	})
	t.Run("process gone without file", func(t *testing.T) {
		cmd := exec.Command("sleep", "0.05")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go cmd.Wait()
		_, _, err := waitExit(ctxTimeout(t, hangTimeout), dir, "orphan", cmd.Process.Pid, 200*time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "no exit file") {
			t.Errorf("waitExit = %v, want a missing-exit-file error", err)
		}
	})
}

func TestExitCommand(t *testing.T) {
	e := newTestEnv(t)
	id := newID(t)
	bundle := writeBundle(t, "", specOpts{args: []string{"sh", "-c", "exit 9"}})
	marker := filepath.Join(t.TempDir(), "cleanup-ran")
	opts := e.createOpts(id, bundle)
	// conmon runs it after the exit file is written, as `skiff container
	// cleanup` will be.
	opts.ExitCommand = []string{"/bin/sh", "-c", `cat "$1/` + id + `" > "$2"`, "sh", e.exitDir, marker}
	res := e.create(t, opts)
	if err := e.rt.StartContainer(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if got := e.wait(t, id, res.PID); got != 9 {
		t.Errorf("exit code = %d, want 9", got)
	}
	waitFor(t, func() bool {
		b, err := os.ReadFile(marker)
		return err == nil && string(b) == "9"
	})
}

func TestKillAll(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := newID(t)
	res := e.create(t, e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"sh", "-c", "sleep 100 & sleep 100"}})))
	if err := e.rt.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.KillContainer(ctx, id, syscall.SIGKILL, true); err != nil {
		t.Fatalf("KillContainer --all: %v", err)
	}
	if got := e.wait(t, id, res.PID); got != 137 {
		t.Errorf("exit code = %d, want 137", got)
	}
}
