package network

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
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
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("stopping %s (pid %d): %w", comm, pid, err)
		}
	}
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// isProcess reports whether pid runs the helper comm. pasta is a link to
// passt, which re-executes an optimised build (passt.avx2): any of those
// names is pasta.
func isProcess(pid int, comm string) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return false
	}
	name := string(bytes.TrimSpace(data))
	if comm == "pasta" {
		base, _, _ := strings.Cut(name, ".")
		return base == "pasta" || base == "passt"
	}
	return name == comm
}
