package network

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StopHelper ends a helper process (pasta, slirp4netns) whose pid was
// written to pidFile, after checking the pid is still that helper (pids
// are reused), and removes the file. Nothing to stop is fine.
func StopHelper(pidFile, comm string) error {
	data, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", pidFile, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err == nil && pid > 0 && isProcess(pid, comm) {
		// SIGKILL: the helpers keep no state worth a graceful exit, and
		// pasta takes tens of milliseconds to act on SIGTERM, on the path
		// of every stop and rm.
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("stopping %s (pid %d): %w", comm, pid, err)
		}
		// Wait for it to be gone, so its ports are free when the caller
		// (stop, rm) returns; it is not our child, so poll.
		waitGone(pid, comm, 5*time.Second)
	}
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// isProcess reports whether pid is alive (not a zombie, which holds no
// sockets any more; its reaper may be slow) and runs the helper comm.
// pasta is a link to passt, which re-executes an optimised build
// (passt.avx2): any of those names is pasta.
func isProcess(pid int, comm string) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state …; comm may hold spaces and parentheses.
	open, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 0 || end < open || len(data) < end+3 {
		return false
	}
	name, state := string(data[open+1:end]), data[end+2]
	if state == 'Z' || state == 'X' {
		return false
	}
	if comm == "pasta" {
		base, _, _ := strings.Cut(name, ".")
		return base == "pasta" || base == "passt"
	}
	return name == comm
}

// waitGone polls until pid no longer runs comm, up to timeout.
func waitGone(pid int, comm string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		if !isProcess(pid, comm) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(delay)
	}
}
