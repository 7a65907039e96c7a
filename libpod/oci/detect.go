package oci

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// DetectOptions says which runtime and conmon to use.
type DetectOptions struct {
	// Name is "" (auto: crun when it can work on this host, else runc),
	// "runc", "crun", another name looked up in PATH, or a path.
	Name string
	// ConmonPath is conmon's path; "" searches PATH and the usual
	// libexec directories.
	ConmonPath string
	// Root is the runtime's state directory (runc --root). Required.
	Root string
	// LogLevel is skiff's log level (logrus names); it is mapped onto
	// conmon's levels.
	LogLevel string
}

// conmonFallbacks are where distributions install conmon outside PATH.
var conmonFallbacks = []string{"/usr/bin/conmon", "/usr/libexec/podman/conmon", "/usr/local/libexec/podman/conmon", "/usr/lib/podman/conmon"}

// Detect picks the OCI runtime and conmon. It only looks at the file system
// (no runtime is executed), so it is cheap enough for every CLI call.
func Detect(ctx context.Context, opts DetectOptions) (*Runtime, error) {
	if opts.Root == "" {
		return nil, fmt.Errorf("detecting OCI runtime: runtime root directory not set: %w", errdefs.ErrInvalidArg)
	}
	name, path, err := findRuntime(opts.Name)
	if err != nil {
		return nil, err
	}
	conmon, err := findConmon(opts.ConmonPath)
	if err != nil {
		return nil, err
	}
	return &Runtime{
		Name:       name,
		Path:       path,
		Root:       opts.Root,
		ConmonPath: conmon,
		LogLevel:   conmonLogLevel(opts.LogLevel),
	}, nil
}

// findRuntime resolves the runtime name into a binary.
func findRuntime(name string) (string, string, error) {
	if name != "" {
		path, err := lookBinary(name)
		if err != nil {
			return "", "", fmt.Errorf("OCI runtime %q: %w: %w", name, err, errdefs.ErrInvalidArg)
		}
		return filepath.Base(path), path, nil
	}
	if path, err := lookBinary("crun"); err == nil {
		if hybridCgroups() {
			logrus.Debugf("not using crun at %s: cgroups are in hybrid mode (v1 with a v2 unified mount), which crun refuses; using runc", path)
		} else {
			return "crun", path, nil
		}
	}
	path, err := lookBinary("runc")
	if err != nil {
		return "", "", fmt.Errorf("no OCI runtime found: install runc or crun: %w", err)
	}
	return "runc", path, nil
}

// lookBinary finds a runtime by path or in PATH, falling back to /usr/sbin
// and /usr/bin because a user's PATH often lacks sbin (Debian's runc lives
// in /usr/sbin).
func lookBinary(name string) (string, error) {
	if strings.ContainsRune(name, '/') {
		return exec.LookPath(name)
	}
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"} {
		if isExecutable(filepath.Join(dir, name)) {
			return filepath.Join(dir, name), nil
		}
	}
	return "", fmt.Errorf("%s: executable not found in PATH or /usr/sbin: %w", name, os.ErrNotExist)
}

// findConmon resolves conmon, honouring an explicit path.
func findConmon(path string) (string, error) {
	if path != "" {
		if !isExecutable(path) {
			return "", fmt.Errorf("conmon %q is not an executable file: %w", path, errdefs.ErrInvalidArg)
		}
		return path, nil
	}
	if p, err := exec.LookPath("conmon"); err == nil {
		return p, nil
	}
	for _, p := range conmonFallbacks {
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", errors.New("conmon not found in PATH or " + strings.Join(conmonFallbacks, ", ") + ": install conmon")
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// hybridCgroups reports whether /sys/fs/cgroup is the v1 tmpfs layout with a
// cgroup2 hierarchy mounted at unified/. Two statfs calls, no file reads.
func hybridCgroups() bool {
	var st unix.Statfs_t
	if unix.Statfs("/sys/fs/cgroup", &st) != nil || st.Type != unix.TMPFS_MAGIC {
		return false
	}
	if unix.Statfs("/sys/fs/cgroup/unified", &st) != nil {
		return false
	}
	return st.Type == unix.CGROUP2_SUPER_MAGIC
}

// conmonLogLevel maps logrus level names onto the ones conmon accepts.
func conmonLogLevel(level string) string {
	switch strings.ToLower(level) {
	case "trace", "debug":
		return "debug"
	case "info":
		return "info"
	case "warn", "warning":
		return "warning"
	default:
		return "error"
	}
}
