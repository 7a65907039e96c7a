package e2e

import (
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestUlimitSysctlGroupInit: --ulimit shows in ulimit -n (rootless may not
// raise above its own hard limit: one clear line), --sysctl sets a net.*
// key in a private network namespace and is refused with the host's,
// --group-add adds a group, --init makes catatonit PID 1.
func TestUlimitSysctlGroupInit(t *testing.T) {
	needTool(t, "catatonit", "hack/install-deps.sh runtime")
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.must(t, "run", "--rm", "--network", "none", "--ulimit", "nofile=512:1024", image, "sh", "-c", "ulimit -n; ulimit -Hn")
		if got := strings.Fields(res.Out()); len(got) != 2 || got[0] != "512" || got[1] != "1024" {
			t.Errorf("--ulimit nofile=512:1024: got %q", res.Out())
		}
		if m.Rootless {
			var rl syscall.Rlimit
			if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
				t.Fatal(err)
			}
			// The rootless user's hard limit is inherited from this process.
			res = m.run(t, "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:99999999", image, "true")
			if rl.Max < 99999999 {
				wantErr(t, res, 125, "exceeds this user's own hard limit")
				wantOneLine(t, res)
			}
		}

		res = m.must(t, "run", "--rm", "--network", "none", "--sysctl", "net.ipv4.ip_forward=1", image, "cat", "/proc/sys/net/ipv4/ip_forward")
		wantOut(t, res, "1")
		res = m.run(t, "run", "--rm", "--network", "host", "--sysctl", "net.ipv4.ip_forward=1", image, "true")
		wantErr(t, res, 125, "net.* sysctls need a private network namespace")
		wantOneLine(t, res)
		res = m.run(t, "run", "--rm", "--network", "none", "--sysctl", "vm.swappiness=1", image, "true")
		wantErr(t, res, 125, `sysctl "vm.swappiness" is not namespaced`)

		res = m.must(t, "run", "--rm", "--network", "none", "--group-add", "1234", "--group-add", "users", image, "id", "-G")
		if f := strings.Fields(res.Out()); !slices.Contains(f, "1234") || !slices.Contains(f, "100") {
			t.Errorf("--group-add 1234 --group-add users: id -G = %q", res.Out())
		}

		// keep-id, nomap and auto are not implemented yet: refused, not ignored.
		res = m.run(t, "run", "--rm", "--network", "none", "--userns", "keep-id", image, "true")
		wantErr(t, res, 125, `unsupported --userns "keep-id"`)
		wantOneLine(t, res)

		res = m.must(t, "run", "--rm", "--network", "none", "--init", image, "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline")
		if !strings.HasPrefix(res.Out(), "/run/skiff-init -- sh") {
			t.Errorf("--init: PID 1 is %q", res.Out())
		}
	})
}

// TestDevice: --device adds a host device under another name as root;
// rootless, a device the user may not open is refused in one line.
func TestDevice(t *testing.T) {
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skip("no /dev/fuse on this host")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.run(t, "run", "--rm", "--network", "none", "--device", "/dev/fuse:/dev/myfuse:rw", image, "test", "-c", "/dev/myfuse")
		if m.Rootless {
			wantErr(t, res, 125, "--device /dev/fuse: permission denied")
			wantOneLine(t, res)
			return
		}
		wantCode(t, res, 0)
		res = m.run(t, "run", "--rm", "--network", "none", "--device", "/dev/nonexistent", image, "true")
		wantErr(t, res, 125, "--device /dev/nonexistent")
	})
}

// TestResourceLimits: as root the limits reach the container's cgroups
// (memory limit file, a fork loop stopped by --pids-limit); rootless on a
// host without cgroups for the user they are refused at create in one
// line naming the flag, leaving nothing behind.
func TestResourceLimits(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		if m.Rootless {
			res := m.run(t, "run", "--name", name, "--network", "none", "--memory", "64m", image, "true")
			wantErr(t, res, 125, "--memory: resource limits need cgroups")
			wantOneLine(t, res)
			wantCode(t, m.run(t, "container", "exists", name), 1)
			res = m.run(t, "run", "--rm", "--network", "none", "--pids-limit", "5", image, "true")
			wantErr(t, res, 125, "--pids-limit: resource limits need cgroups")
			return
		}
		res := m.must(t, "run", "--rm", "--network", "none", "--memory", "64m", image, "sh", "-c",
			"cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max")
		wantOut(t, res, "67108864")
		res = m.run(t, "run", "--rm", "--network", "none", "--pids-limit", "5", image, "sh", "-c",
			"for i in 1 2 3 4 5 6 7 8; do sleep 3 & done; wait")
		if !strings.Contains(res.Stderr, "can't fork") {
			t.Errorf("--pids-limit 5 did not stop a fork loop: %s", res)
		}
		res = m.must(t, "run", "--rm", "--network", "none", "--cpus", "0.5", image, "sh", "-c",
			"cat /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max")
		if !strings.HasPrefix(res.Out(), "50000") {
			t.Errorf("--cpus 0.5: quota %q, want 50000", res.Out())
		}
		res = m.run(t, "run", "--rm", "--network", "none", "--memory", "1k", image, "true")
		wantErr(t, res, 125, "the minimum allowed is 6MB")
	})
}

// TestUpdate: update changes a running container's limits live (root:
// the memory cgroup's limit and the pids limit change, inspect shows the
// new values); rootless on this host it is refused in one line.
func TestUpdate(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "run", "-d", "--name", name, "--network", "none", image, "sleep", "300")
		if m.Rootless {
			res := m.run(t, "update", "--memory", "128m", name)
			wantErr(t, res, 125, "--memory: resource limits need cgroups")
			wantOneLine(t, res)
			return
		}
		wantOut(t, m.must(t, "update", "--memory", "128m", "--pids-limit", "20", name), name)
		res := m.must(t, "exec", name, "sh", "-c",
			"cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max")
		wantOut(t, res, "134217728")
		res = m.must(t, "exec", name, "sh", "-c",
			"cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max")
		wantOut(t, res, "20")
		if got := m.inspectField(t, name, "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}"); got != "134217728 20" {
			t.Errorf("inspect after update = %q", got)
		}
		res = m.run(t, "update", name)
		wantErr(t, res, 125, "you must provide one or more flags")
	})
}
