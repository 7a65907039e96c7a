package compat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLISecurityAndLimits: the docker CLI's confinement and limit flags
// reach the container through Docker's API (HostConfig), and inspect shows
// them back (capabilities as the CLI sends them, CAP_ added). The docker CLI reads a seccomp profile file itself and sends
// its text. Rootless, cgroup limits are refused in one line (no cgroups
// for the user on this cgroup v1 host).
func TestCLISecurityAndLimits(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.must(t, "run", "--rm", "--cap-drop", "all", image, "grep", "CapEff:", "/proc/self/status")
		wantContains(t, "stdout", r.stdout, "0000000000000000")
		r = md.must(t, "run", "--rm", "--cap-add", "NET_ADMIN", "--security-opt", "no-new-privileges", image,
			"grep", "-E", "CapEff|NoNewPrivs|Seccomp:", "/proc/self/status")
		wantContains(t, "stdout", r.stdout, "00000000a80435fb", "NoNewPrivs:\t1", "Seccomp:\t2")
		r = md.must(t, "run", "--rm", "--privileged", image, "grep", "Seccomp:", "/proc/self/status")
		wantContains(t, "stdout", r.stdout, "Seccomp:\t0")

		profile := filepath.Join(t.TempDir(), "no-mkdir.json")
		if err := os.WriteFile(profile, []byte(`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		r = md.docker(t, nil, "run", "--rm", "--security-opt", "seccomp="+profile, image, "mkdir", "/tmp/x")
		if r.code == 0 || !strings.Contains(r.stderr, "not permitted") {
			t.Errorf("custom profile did not block mkdir: %s", r)
		}

		name := uniqueName(t, "limits")
		t.Cleanup(func() { md.rmf(t, name) })
		r = md.docker(t, nil, "create", "--name", name, "--memory", "64m", "--pids-limit", "10", "--cpus", "0.5",
			"--cap-add", "SYS_TIME", "--ulimit", "nofile=100:200", "--sysctl", "net.ipv4.ip_forward=1", image, "true")
		if md.rootless {
			wantCode(t, r, 1) // docker create's code for a daemon error
			wantContains(t, "stderr", r.stderr, "--memory: resource limits need cgroups")
			return
		}
		wantCode(t, r, 0)
		r = md.must(t, "inspect", "--format",
			"{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}} {{.HostConfig.CapAdd}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}} {{.HostConfig.Sysctls}}", name)
		if got, want := r.out(), "67108864 10 500000000 [CAP_SYS_TIME] nofile=100:200 map[net.ipv4.ip_forward:1]"; got != want {
			t.Errorf("inspect HostConfig = %q, want %q", got, want)
		}
	})
}

// TestCLIUpdate: docker update reaches POST /containers/{id}/update; as
// root the running container's memory limit changes and inspect shows it.
func TestCLIUpdate(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "update")
		t.Cleanup(func() { md.rmf(t, name) })
		md.must(t, "run", "-d", "--name", name, "--network", "none", image, "sleep", "300")
		r := md.docker(t, nil, "update", "--memory", "96m", "--memory-swap", "192m", name)
		if md.rootless {
			wantCode(t, r, 1)
			wantContains(t, "stderr", r.stderr, "--memory: resource limits need cgroups")
			return
		}
		wantCode(t, r, 0)
		r = md.must(t, "exec", name, "sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max")
		if r.out() != "100663296" {
			t.Errorf("memory limit after docker update = %q, want 100663296", r.out())
		}
		r = md.must(t, "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", name)
		if r.out() != "100663296 201326592" {
			t.Errorf("inspect after docker update = %q", r.out())
		}
	})
}
