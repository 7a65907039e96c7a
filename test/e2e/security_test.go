package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// statusField is one field of a container's /proc/self/status.
func statusField(t *testing.T, m *Mode, field string, flags ...string) string {
	t.Helper()
	args := append([]string{"run", "--rm", "--network", "none"}, flags...)
	args = append(args, image, "grep", field+":", "/proc/self/status")
	out := m.must(t, args...).Out()
	_, v, _ := strings.Cut(out, ":")
	return strings.TrimSpace(v)
}

// TestSeccompDefault: every container runs under Docker's default seccomp
// profile (Seccomp: 2), which blocks unshare(CLONE_NEWUSER);
// seccomp=unconfined lifts it, a custom profile file applies its own
// rules, and a missing file is refused naming it.
func TestSeccompDefault(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		if got := statusField(t, m, "Seccomp"); got != "2" {
			t.Errorf("default Seccomp = %q, want 2 (filter)", got)
		}
		if got := statusField(t, m, "Seccomp", "--security-opt", "seccomp=unconfined"); got != "0" {
			t.Errorf("seccomp=unconfined: Seccomp = %q, want 0", got)
		}
		res := m.run(t, "run", "--rm", "--network", "none", image, "unshare", "-U", "true")
		if res.Code == 0 {
			t.Errorf("unshare -U worked under the default profile: %s", res)
		}
		m.must(t, "run", "--rm", "--network", "none", "--security-opt", "seccomp=unconfined", image, "unshare", "-U", "true")

		dir := m.tempDir(t)
		profile := filepath.Join(dir, "no-mkdir.json")
		m.writeFile(t, profile, `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}`)
		res = m.run(t, "run", "--rm", "--network", "none", "--security-opt", "seccomp="+profile, image, "mkdir", "/tmp/x")
		if res.Code == 0 || !strings.Contains(res.Stderr, "not permitted") {
			t.Errorf("custom profile did not block mkdir: %s", res)
		}
		missing := filepath.Join(dir, "missing.json")
		res = m.run(t, "run", "--rm", "--network", "none", "--security-opt", "seccomp="+missing, image, "true")
		wantErr(t, res, 125, "seccomp profile "+missing)
		wantOneLine(t, res)
	})
}

// TestSecurityOpts: no-new-privileges, mask and unmask, label=disable.
func TestSecurityOpts(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		if got := statusField(t, m, "NoNewPrivs"); got != "0" {
			t.Errorf("default NoNewPrivs = %q, want 0", got)
		}
		if got := statusField(t, m, "NoNewPrivs", "--security-opt", "no-new-privileges"); got != "1" {
			t.Errorf("no-new-privileges: NoNewPrivs = %q, want 1", got)
		}
		res := m.must(t, "run", "--rm", "--network", "none", "--security-opt", "mask=/etc/passwd:/etc/group",
			"--security-opt", "label=disable", image, "sh", "-c", "wc -c < /etc/passwd; wc -c < /etc/group")
		if got := strings.Fields(res.Out()); len(got) != 2 || got[0] != "0" || got[1] != "0" {
			t.Errorf("masked files are not empty: %s", res)
		}
		// A masked path is a mount over it: count those of /proc/timer_list.
		const kcoreMounts = "grep -c ' /proc/timer_list ' /proc/self/mountinfo; true"
		res = m.must(t, "run", "--rm", "--network", "none", image, "sh", "-c", kcoreMounts)
		wantOut(t, res, "1")
		res = m.must(t, "run", "--rm", "--network", "none", "--security-opt", "unmask=ALL", image, "sh", "-c", kcoreMounts)
		wantOut(t, res, "0")
		res = m.must(t, "run", "--rm", "--network", "none", "--security-opt", "unmask=/proc/timer_list", image, "sh", "-c", kcoreMounts)
		wantOut(t, res, "0")
		res = m.run(t, "run", "--rm", "--network", "none", "--security-opt", "label=level:s0", image, "true")
		wantErr(t, res, 125, "SELinux labels are not supported")
	})
}

// TestCapabilities: Docker's default set, --cap-drop all, --cap-add (with
// and without CAP_), an unknown name refused, --privileged.
func TestCapabilities(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		const dflt = "00000000a80425fb"
		full := statusField(t, m, "CapEff", "--privileged")
		if got := statusField(t, m, "CapEff"); got != dflt || got == full {
			t.Errorf("default CapEff = %q, want %s (privileged has %s)", got, dflt, full)
		}
		if got := statusField(t, m, "CapEff", "--cap-drop", "all"); got != "0000000000000000" {
			t.Errorf("--cap-drop all: CapEff = %q", got)
		}
		// NET_ADMIN is bit 12, SYS_TIME bit 25; CHOWN (bit 0) dropped.
		if got := statusField(t, m, "CapEff", "--cap-add", "net_admin", "--cap-add", "CAP_SYS_TIME", "--cap-drop", "chown"); got != "00000000aa0435fa" {
			t.Errorf("--cap-add net_admin,CAP_SYS_TIME --cap-drop chown: CapEff = %q, want 00000000aa0435fa", got)
		}
		if got := statusField(t, m, "CapEff", "--cap-add", "all"); got != full {
			t.Errorf("--cap-add all: CapEff = %q, want %s", got, full)
		}
		if got := statusField(t, m, "Seccomp", "--privileged"); got != "0" {
			t.Errorf("--privileged: Seccomp = %q, want 0", got)
		}
		res := m.run(t, "run", "--rm", "--network", "none", "--cap-add", "bogus", image, "true")
		wantErr(t, res, 125, `unknown capability "bogus"`)
		wantOneLine(t, res)

		// Privileged gets the host's devices: all of them as root, only
		// those the user may open rootless (loop devices are root's).
		res = m.run(t, "run", "--rm", "--network", "none", "--privileged", image, "sh", "-c", "test -b /dev/loop0 && echo HAS-LOOP; true")
		if _, err := os.Stat("/dev/loop0"); err == nil {
			if has := strings.Contains(res.Stdout, "HAS-LOOP"); has == m.Rootless {
				t.Errorf("--privileged, rootless=%v: /dev/loop0 present=%v: %s", m.Rootless, has, res)
			}
		}
	})
}
