package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBrokenConfigFiles: a containers config file that is missing means
// defaults (TestFreshHost), but one that is present and broken is refused
// in one line that names the file and where in it the problem is.
func TestBrokenConfigFiles(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		dir := m.tempDir(t)
		file := func(name, content string) string {
			p := filepath.Join(dir, name)
			m.writeFile(t, p, content)
			return p
		}
		regConf := file("registries.conf", "[[registry]]\nlocation = \"example.test\"\ninsecure = tru\n")
		policy := file("policy.json", "{\n  \"default\": [{\"type\": \"insecureAcceptAnything\"}]\n  \"transports\": {}\n}\n")
		storageConf := file("storage.conf", "[storage]\ndriver = \"overlay\n")
		containersConf := file("containers.conf", "[engine]\nimage_parallel_copies = \n")

		oneLine := func(t *testing.T, res Result, want ...string) {
			t.Helper()
			wantCode(t, res, 125)
			msg := strings.TrimSpace(res.Stderr)
			if strings.Contains(msg, "\n") {
				t.Errorf("want one line, got: %s", res)
			}
			for _, w := range want {
				if !strings.Contains(msg, w) {
					t.Errorf("want stderr naming %q, got: %s", w, res)
				}
			}
		}

		t.Run("registries.conf", func(t *testing.T) {
			// In a remote mode the file is the service's: it gets the
			// variable, the client the error.
			n := m.isolatedEnv(t, "CONTAINERS_REGISTRIES_CONF="+regConf)
			oneLine(t, n.run(t, "pull", "example.test/x:1"), regConf, "line 3")
		})
		t.Run("policy.json", func(t *testing.T) {
			m.localOnly(t, "--signature-policy is refused remotely (the service's policy applies)")
			oneLine(t, m.run(t, "pull", "--signature-policy", policy, "localhost/none:1"), policy+":3:")
		})
		t.Run("storage.conf", func(t *testing.T) {
			m.localOnly(t, "a service with a broken storage.conf cannot start")
			n := *m
			n.extraEnv = append(append([]string(nil), m.extraEnv...), "CONTAINERS_STORAGE_CONF="+storageConf)
			oneLine(t, n.run(t, "images"), storageConf, "line 2")
		})
		t.Run("containers.conf", func(t *testing.T) {
			m.localOnly(t, "a service with a broken containers.conf cannot start")
			n := *m
			n.extraEnv = append(append([]string(nil), m.extraEnv...), "CONTAINERS_CONF="+containersConf)
			oneLine(t, n.run(t, "images"), containersConf, "line 2")
		})
	})
}
