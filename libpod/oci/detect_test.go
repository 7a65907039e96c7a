package oci

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestDetect(t *testing.T) {
	// make test installs runc (hack/install-deps.sh runtime): its absence
	// is a broken set-up, not a reason to pass.
	runc, err := lookBinary("runc")
	if err != nil {
		t.Fatalf("runc: %v (hack/install-deps.sh runtime installs it)", err)
	}
	root := t.TempDir()
	cases := []struct {
		name     string
		opts     DetectOptions
		wantName string
		wantPath string
		class    error
	}{
		{name: "explicit runc", opts: DetectOptions{Name: "runc", Root: root}, wantName: "runc", wantPath: runc},
		{name: "runc by path", opts: DetectOptions{Name: runc, Root: root}, wantName: "runc", wantPath: runc},
		{name: "missing runtime", opts: DetectOptions{Name: "no-such-runtime", Root: root}, class: errdefs.ErrInvalidArg},
		{name: "missing path", opts: DetectOptions{Name: "/nonexistent/runc", Root: root}, class: errdefs.ErrInvalidArg},
		{name: "no root", opts: DetectOptions{Name: "runc"}, class: errdefs.ErrInvalidArg},
		{name: "bad conmon", opts: DetectOptions{Name: "runc", Root: root, ConmonPath: "/nonexistent/conmon"}, class: errdefs.ErrInvalidArg},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := Detect(context.Background(), tc.opts)
			if tc.class != nil {
				if !errors.Is(err, tc.class) {
					t.Errorf("Detect error = %v, want %v", err, tc.class)
				}
				return
			}
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if rt.Name != tc.wantName || rt.Path != tc.wantPath || rt.Root != root || rt.ConmonPath == "" {
				t.Errorf("Detect = %+v", rt)
			}
		})
	}
}

func TestDetectAutoSkipsCrunOnHybrid(t *testing.T) {
	// The answer is checked against stat(1), independently of statfs here.
	out, err := exec.Command("stat", "-f", "-c", "%T", "/sys/fs/cgroup", "/sys/fs/cgroup/unified").Output()
	fields := strings.Fields(string(out))
	want := err == nil && len(fields) == 2 && fields[0] == "tmpfs" && fields[1] == "cgroup2fs"
	if got := hybridCgroups(); got != want {
		t.Errorf("hybridCgroups() = %v, stat says %q", got, out)
	}
	// With a fake crun first in PATH, auto-detection must pick it only on
	// a host that is not hybrid.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "crun"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	rt, err := Detect(context.Background(), DetectOptions{Root: t.TempDir()})
	if err != nil {
		t.Fatalf("Detect with runc, conmon and a crun installed: %v", err)
	}
	wantName := "crun"
	if want {
		wantName = "runc"
	}
	if rt.Name != wantName {
		t.Errorf("auto-detected %s (hybrid=%v), want %s", rt.Name, want, wantName)
	}
}

func TestConmonArgs(t *testing.T) {
	rt := &Runtime{Name: "runc", Path: "/usr/sbin/runc", Root: "/run/r", ConmonPath: "/usr/bin/conmon", LogLevel: "error"}
	base := CreateOptions{ID: "abc", Bundle: "/b", ExitDir: "/e"}
	cases := []struct {
		name    string
		mod     func(*CreateOptions)
		want    []string
		notWant []string
	}{
		{name: "defaults", mod: func(*CreateOptions) {},
			want:    []string{"-n abc", "-l none", "--runtime-arg --root=/run/r", "--conmon-pidfile /b/conmon.pid", "-p /b/pidfile", "--full-attach"},
			notWant: []string{" -t", " -i", "--exit-command", "--persist-dir", "--log-size-max"}},
		{name: "tty wins over stdin", mod: func(o *CreateOptions) { o.Terminal, o.Stdin = true, true },
			want: []string{" -t"}, notWant: []string{" -i"}},
		{name: "stdin", mod: func(o *CreateOptions) { o.Stdin = true }, want: []string{" -i"}},
		{name: "everything", mod: func(o *CreateOptions) {
			o.Name, o.LogPath, o.PersistDir, o.LogSizeMax = "web", "/l/ctr.log", "/p", 1024
			o.ExitCommand = []string{"/usr/bin/skiff", "container", "cleanup", "abc"}
		}, want: []string{"-n web", "-l k8s-file:/l/ctr.log", "--persist-dir /p", "--log-size-max 1024",
			"--exit-command /usr/bin/skiff --exit-command-arg container --exit-command-arg cleanup --exit-command-arg abc"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			tc.mod(&o)
			line := " " + strings.Join(rt.conmonArgs(o), " ")
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("args %q lack %q", line, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(line, w) {
					t.Errorf("args %q contain %q", line, w)
				}
			}
		})
	}
}
