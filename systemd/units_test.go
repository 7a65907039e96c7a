package systemd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The units in contrib/systemd start /usr/local/bin/skiff. systemd-analyze
// verify checks that ExecStart is executable, so the test verifies copies
// in which that path is replaced by this test binary (a file that surely
// exists); the units themselves are checked for the exact ExecStart.
const unitBinary = "/usr/local/bin/skiff"

func TestContribUnits(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		// make test (SKIFF_TEST_STRICT=1) installs systemd: a miss there
		// is the set-up's failure, not a reason to skip.
		if os.Getenv("SKIFF_TEST_STRICT") == "1" {
			t.Fatalf("systemd-analyze is missing although hack/install-deps.sh test installs it: %v", err)
		}
		t.Skip("systemd-analyze is not installed (hack/install-deps.sh test installs systemd)")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		dir    string
		user   bool
		socket []string // lines the socket unit must have
	}{
		{"../contrib/systemd", false, []string{"ListenStream=/run/skiff/skiff.sock", "SocketMode=0660", "SocketGroup=skiff"}},
		{"../contrib/systemd/user", true, []string{"ListenStream=%t/skiff/skiff.sock", "SocketMode=0600"}},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.dir), func(t *testing.T) {
			tmp := t.TempDir()
			want := map[string][]string{
				"skiff.socket":  c.socket,
				"skiff.service": {"ExecStart=" + unitBinary + " system service --time=5", "Delegate=true", "KillMode=process", "Requires=skiff.socket"},
			}
			for name, lines := range want {
				data, err := os.ReadFile(filepath.Join(c.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range lines {
					if !hasLine(data, l) {
						t.Errorf("%s lacks %q", name, l)
					}
				}
				data = bytes.ReplaceAll(data, []byte(unitBinary), []byte(self))
				if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"verify", "skiff.socket", "skiff.service"}
			cmd := exec.Command("systemd-analyze", args...)
			cmd.Dir = tmp
			if c.user {
				cmd.Args = append([]string{"systemd-analyze", "--user"}, args...)
				xdg := filepath.Join(tmp, "xdg")
				if err := os.Mkdir(xdg, 0o700); err != nil {
					t.Fatal(err)
				}
				cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+xdg)
			}
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			// verify exits 0 on some problems ("…, ignoring"); any output
			// is a finding.
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Fatalf("systemd-analyze %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, stderr.String())
			}
		})
	}
}

func hasLine(data []byte, line string) bool {
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}
