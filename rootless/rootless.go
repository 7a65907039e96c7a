//go:build linux && cgo

package rootless

/*
#cgo CFLAGS: -Wall -Wextra -Wno-unused-parameter
#include <stdlib.h>
#include "nsenter.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Environment variables that carry the invoking user's ids into the
// namespace. Processes started from inside it (conmon, the exit command)
// inherit them; the constructor treats uid 0 plus EnvUID as "already in".
const (
	EnvUID = "_SKIFF_ROOTLESS_UID"
	EnvGID = "_SKIFF_ROOTLESS_GID"
	// EnvForce makes the constructor ignore the argv rule; a caller that
	// finds the rule skipped wrongly may re-exec itself with it set.
	EnvForce = "_SKIFF_ROOTLESS_FORCE"
)

// rootRuntimeDir is the runtime dir of real root.
const rootRuntimeDir = "/run/skiff"

// The constructor sets the env with libc setenv, which Go's copy of the
// environment does not see; copy it so that children inherit it.
func init() {
	st := C.skiff_ns_state()
	if st.status == C.SKIFF_NS_JOINED {
		os.Setenv(EnvUID, strconv.FormatUint(uint64(st.uid), 10))
		os.Setenv(EnvGID, strconv.FormatUint(uint64(st.gid), 10))
	}
	if st.set_xdg != 0 {
		name := C.CString("XDG_RUNTIME_DIR")
		if v := C.getenv(name); v != nil {
			os.Setenv("XDG_RUNTIME_DIR", C.GoString(v))
		}
		C.free(unsafe.Pointer(name))
	}
}

func status() C.int { return C.skiff_ns_state().status }

// IsRootless reports whether the invoking user is not root. It is true also
// inside skiff's user namespace, where the process is uid 0.
func IsRootless() bool {
	s := status()
	return s != C.SKIFF_NS_ROOT && s != C.SKIFF_NS_NONE
}

// UID returns the invoking user's uid (0 for real root).
func UID() int {
	if !IsRootless() {
		return 0
	}
	return int(C.skiff_ns_state().uid)
}

// GID returns the invoking user's gid (0 for real root).
func GID() int {
	if !IsRootless() {
		return 0
	}
	return int(C.skiff_ns_state().gid)
}

// InNamespace reports whether the process is root inside skiff's user
// namespace now.
func InNamespace() bool {
	s := status()
	return s == C.SKIFF_NS_JOINED || s == C.SKIFF_NS_INHERITED
}

// EnsureNamespace returns nil when the process may do engine work: it is
// real root or inside skiff's namespace. Otherwise it says why the
// constructor could not join; a missing subordinate id range wraps
// errdefs.ErrNoSubIDs.
func EnsureNamespace() error {
	st := C.skiff_ns_state()
	switch st.status {
	case C.SKIFF_NS_ROOT, C.SKIFF_NS_JOINED, C.SKIFF_NS_INHERITED:
		return nil
	case C.SKIFF_NS_SKIPPED:
		return fmt.Errorf("rootless: the user namespace was not joined because the command line looked like it needs no engine (%s): this is a bug in the argv rule of package rootless; set %s=1 to override",
			skipReasonText(int(st.skip_reason)), EnvForce)
	case C.SKIFF_NS_FAILED:
		msg := C.GoString(&st.err[0])
		if st.err_kind == C.SKIFF_ERR_NO_SUBID {
			return fmt.Errorf("%s: %w", msg, errdefs.ErrNoSubIDs)
		}
		return errors.New("joining the rootless user namespace: " + msg)
	}
	return errors.New("rootless: the namespace constructor did not run")
}

// SkippedForRemoteEnv reports whether the constructor left the namespace
// alone because CONTAINER_HOST, CONTAINER_CONNECTION or DOCKER_HOST is
// set: the command may still turn out to be local (DOCKER_HOST is honoured
// only where a skiff service answers), and then needs JoinByReexec.
func SkippedForRemoteEnv() bool {
	st := C.skiff_ns_state()
	return st.status == C.SKIFF_NS_SKIPPED && st.skip_reason == C.SKIFF_SKIP_REMOTE_ENV
}

// JoinByReexec re-executes the program, keeping its pid and arguments,
// with the constructor told to join the namespace (EnvForce) and the
// variables in unset removed, so that the new process decides as this one
// did. It returns only on failure.
func JoinByReexec(unset ...string) error {
	for _, k := range unset {
		os.Unsetenv(k)
	}
	os.Setenv(EnvForce, "1")
	err := syscall.Exec("/proc/self/exe", os.Args, os.Environ())
	return fmt.Errorf("re-executing skiff to join the user namespace: %w", err)
}

func skipReasonText(r int) string {
	switch r {
	case C.SKIFF_SKIP_COMMAND:
		return "a command that needs no engine"
	case C.SKIFF_SKIP_HELP_FLAG:
		return "--help, -h or --version"
	case C.SKIFF_SKIP_REMOTE_FLAG:
		return "a remote flag: --url, -H, --host or --connection"
	case C.SKIFF_SKIP_REMOTE_ENV:
		return "CONTAINER_HOST, CONTAINER_CONNECTION or DOCKER_HOST is set"
	case C.SKIFF_SKIP_REMOTE_CONN:
		return "a default connection is configured (skiff system connection)"
	}
	return "no reason"
}

// RuntimeDir returns the directory for sockets, locks and the pause pid
// file, creating it with mode 0700: <base>/skiff, where the base is
// $XDG_RUNTIME_DIR (which the constructor sets for every rootless process:
// see rundir.c), and /run/skiff for real root.
func RuntimeDir() (string, error) {
	var buf, errBuf [4096]C.char
	rootless := C.int(0)
	if IsRootless() {
		rootless = 1
	}
	if C.skiff_runtime_dir(C.uint(UID()), rootless, &buf[0], C.size_t(len(buf)), &errBuf[0], C.size_t(len(errBuf))) != 0 {
		return "", errors.New(C.GoString(&errBuf[0]))
	}
	return C.GoString(&buf[0]), nil
}

// PausePID returns the pid of the running pause process that holds the
// namespaces. It fails for real root and when no pause process runs.
func PausePID() (int, error) {
	if !IsRootless() {
		return 0, errors.New("no pause process: running as real root")
	}
	dir, err := RuntimeDir()
	if err != nil {
		return 0, err
	}
	cdir := C.CString(dir)
	defer C.free(unsafe.Pointer(cdir))
	pid := int(C.skiff_read_pause_pid(cdir))
	if pid <= 0 {
		return 0, fmt.Errorf("no skiff pause process is running (pid file %s/pause.pid)", dir)
	}
	return pid, nil
}
