package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// pauseNames are the process names of rootless pause processes: skiff's and
// podman's (catatonit).
var pauseNames = map[string]bool{"skiff-pause": true, "catatonit": true}

// procInfo is what the clean-up and the leak checks need about a process.
type procInfo struct {
	pid     int
	uid     int
	comm    string
	cmdline string
	environ string // NUL-separated; names runc's state dir for `runc init`
	mntNS   string
	start   string // field 22 of stat: start time, guards against pid reuse
}

// processes lists every process of the machine that can be read.
func processes() []procInfo {
	ents, _ := os.ReadDir("/proc")
	var out []procInfo
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join("/proc", e.Name())
		var st syscall.Stat_t
		if syscall.Stat(dir, &st) != nil {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join(dir, "comm"))
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		environ, _ := os.ReadFile(filepath.Join(dir, "environ"))
		ns, _ := os.Readlink(filepath.Join(dir, "ns", "mnt"))
		stat, _ := os.ReadFile(filepath.Join(dir, "stat"))
		p := procInfo{pid: pid, uid: int(st.Uid), comm: strings.TrimSpace(string(comm)),
			cmdline: strings.ReplaceAll(string(cmdline), "\x00", " "), environ: string(environ), mntNS: ns}
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 {
			if f := strings.Fields(string(stat)[i+1:]); len(f) > 19 {
				p.start = f[19]
			}
		}
		out = append(out, p)
	}
	return out
}

// mountsUnder lists, per mount namespace (keyed by one pid inside it), the
// mount points at or below prefix, deepest first.
func mountsUnder(prefix string) map[int][]string {
	seen := map[string]bool{}
	out := map[int][]string{}
	for _, p := range processes() {
		if p.mntNS == "" || seen[p.mntNS] {
			continue
		}
		seen[p.mntNS] = true
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", p.pid))
		if err != nil {
			continue
		}
		var mps []string
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) > 4 && (f[4] == prefix || strings.HasPrefix(f[4], prefix+"/")) {
				mps = append(mps, f[4])
			}
		}
		if len(mps) > 0 {
			sort.Slice(mps, func(i, j int) bool { return len(mps[i]) > len(mps[j]) })
			out[p.pid] = mps
		}
	}
	return out
}

// teardown removes every container of every store, ends what the run left
// behind (see reap), and removes the work dir. Set SKIFF_E2E_KEEP=1 to keep
// the work dir for a post-mortem.
func (s *suiteState) teardown() {
	s.mu.Lock()
	stores := append([]*Mode(nil), s.stores...)
	s.mu.Unlock()
	// The services go first, gracefully; the stores are then cleaned
	// directly, which works for the remote modes' stores too.
	s.stopServices()
	if s.bin != "" {
		for _, m := range stores {
			args := []string{"rm", "-a", "-f"}
			if s.podman {
				args = append(args, "-t", "0")
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if b, err := m.localCmd(ctx, args...).CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "e2e teardown: rm -af in %s: %v: %s\n", m.root, err, b)
			}
			cancel()
		}
	}
	if os.Getenv("SKIFF_E2E_KILL_PAUSE") == "1" {
		s.killSkiffPause()
	}
	if os.Getenv("SKIFF_E2E_KEEP") == "1" {
		fmt.Fprintf(os.Stderr, "e2e: keeping %s\n", s.work)
		return
	}
	reap(s.work)
	if err := os.RemoveAll(s.work); err != nil {
		fmt.Fprintf(os.Stderr, "e2e teardown: %v\n", err)
	}
}

// sweepStale cleans the work dirs of earlier runs that died before their
// teardown (a go test timeout, a closed pipe, a kill).
func sweepStale() {
	dirs, _ := filepath.Glob("/tmp/skiff-e2e-*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(strings.TrimPrefix(d, "/tmp/skiff-e2e-"))
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) == nil {
			continue
		}
		fmt.Fprintf(os.Stderr, "e2e: cleaning up %s, left by an earlier run\n", d)
		reap(d)
		if err := os.RemoveAll(d); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		}
	}
}

// reap ends every process that belongs to the run using work, and unmounts
// whatever is still mounted below work in any mount namespace. A process
// belongs to the run when its command line or environment names work
// (conmon, `runc init` of containers that escaped removal), when its root
// filesystem lives below work (container processes), or when it is the
// podman-validation pause process, whose pid file is in our XDG_RUNTIME_DIR.
// Skiff's own pause process is shared with the test user's other sessions;
// only SKIFF_E2E_KILL_PAUSE=1 ends it (see killSkiffPause).
func reap(work string) {
	self := os.Getpid()
	for _, p := range processes() {
		if p.pid == self || p.pid == os.Getppid() {
			continue
		}
		if strings.Contains(p.cmdline, work+"/") || strings.Contains(p.environ, "="+work+"/") ||
			rootMountMentions(p.pid, work+"/") {
			fmt.Fprintf(os.Stderr, "e2e cleanup: killing leftover %d %q\n", p.pid, clip(p.cmdline))
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
		}
	}
	if b, err := os.ReadFile(filepath.Join(work, "rootless", "xdg", "libpod", "tmp", "pause.pid")); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 1 {
			if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); pauseNames[strings.TrimSpace(string(comm))] {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	time.Sleep(200 * time.Millisecond) // let the killed release their mounts
	for pid, mps := range mountsUnder(work) {
		for _, mp := range mps {
			if err := unmountIn(pid, mp); err != nil {
				fmt.Fprintf(os.Stderr, "e2e cleanup: unmount %s in the mount namespace of %d: %v\n", mp, pid, err)
			}
		}
	}
}

// killSkiffPause ends the rootless test user's skiff pause process, which
// tears down its namespaces and every mount in them.
func (s *suiteState) killSkiffPause() {
	for _, m := range s.modes {
		if !m.Rootless || m.xdg != "" {
			continue
		}
		for _, p := range processes() {
			if p.uid == m.uid && p.comm == "skiff-pause" {
				_ = syscall.Kill(p.pid, syscall.SIGKILL)
			}
		}
	}
}

// rootMountMentions reports whether the root mount of pid's mount namespace
// names dir: true for processes of containers whose rootfs lives below it.
func rootMountMentions(pid int, dir string) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 4 && f[4] == "/" && strings.Contains(l, dir) {
			return true
		}
	}
	return false
}

// unmountIn lazily unmounts mp in the mount namespace of pid.
func unmountIn(pid int, mp string) error {
	self, _ := os.Readlink("/proc/self/ns/mnt")
	other, _ := os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", pid))
	if self == other {
		return unix.Unmount(mp, unix.MNT_DETACH)
	}
	// A multi-threaded Go process cannot setns into a mount namespace.
	if b, err := exec.Command("nsenter", "-t", strconv.Itoa(pid), "-m", "--", "umount", "-l", mp).CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, b)
	}
	return nil
}
