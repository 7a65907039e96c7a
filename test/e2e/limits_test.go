package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestContainerSizeLimits: what one container may hold is bounded (a
// label 4096 bytes with its key, an environment entry 128 KiB), and a
// value over its bound is refused before anything is stored, in one line
// naming the field and the limit, locally and through the service alike.
func TestContainerSizeLimits(t *testing.T) {
	if suite.podman {
		t.Skip("the size limits are skiff's own: podman stores labels and environments of any size")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)

		res := m.run(t, "create", "--name", name, "--label", "x="+strings.Repeat("v", 5000), image, "true")
		wantErr(t, res, 125, `Error: label "x": 5001 bytes exceeds the limit of 4096 bytes for a label`)
		wantOneLine(t, res)
		wantCode(t, m.run(t, "container", "exists", name), 1)

		envFile := filepath.Join(m.tempDir(t), "env")
		m.writeFile(t, envFile, "BIG="+strings.Repeat("v", 200<<10)+"\n")
		res = m.run(t, "create", "--name", name, "--env-file", envFile, image, "true")
		wantErr(t, res, 125, `Error: environment variable "BIG": 204804 bytes exceeds the limit of 131072 bytes for an environment variable`)
		wantOneLine(t, res)
		wantCode(t, m.run(t, "container", "exists", name), 1)

		// At the limit is fine.
		m.must(t, "create", "--name", name, "--label", "x="+strings.Repeat("v", 4095), image, "true")
		if got := m.inspectField(t, name, `{{len (index .Config.Labels "x")}}`); got != "4095" {
			t.Errorf("label at the limit: stored %s bytes, want 4095", got)
		}
	})
}

// wantOneLine checks that the error took exactly one line of stderr.
func wantOneLine(t testing.TB, res Result) {
	t.Helper()
	if n := len(strings.Split(strings.TrimSpace(res.Stderr), "\n")); n != 1 {
		t.Errorf("want exactly one stderr line, got %d: %s", n, res)
	}
}
