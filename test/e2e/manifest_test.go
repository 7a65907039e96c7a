package e2e

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// TestManifestMultiArch makes a two-platform list from the fixture and an
// image of another architecture, pushes it, and pulls each platform back.
func TestManifestMultiArch(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		archive := filepath.Join(m.tempDir(t), "other.tar")
		layer := tarOf(t, []tarEntry{{name: "arch.txt", body: other}})
		m.writeFile(t, archive, string(dockerArchiveFor(t, "localhost/otherarch:latest", other, layer)))
		s.must(t, "load", "-q", "-i", archive)

		list := "localhost/multi:1"
		s.must(t, "manifest", "create", list, "containers-storage:"+image)
		s.must(t, "manifest", "add", "--arch", other, list, "containers-storage:localhost/otherarch:latest")
		res := s.must(t, "manifest", "inspect", list)
		var idx struct {
			Manifests []struct {
				Digest   string
				Platform struct{ Architecture, OS string }
			}
		}
		if err := json.Unmarshal([]byte(res.Stdout), &idx); err != nil {
			t.Fatalf("manifest inspect: not JSON (%v): %s", err, res)
		}
		var archs []string
		for _, d := range idx.Manifests {
			archs = append(archs, d.Platform.OS+"/"+d.Platform.Architecture)
		}
		sort.Strings(archs)
		want := []string{"linux/" + runtime.GOARCH, "linux/" + other}
		sort.Strings(want)
		if strings.Join(archs, ",") != strings.Join(want, ",") {
			t.Errorf("manifest inspect: platforms %v, want %v", archs, want)
		}

		ref := regRef(t, reg, m, "multi")
		s.mustReg(t, reg, append(append([]string{"manifest", "push", "-q"}, s.regArgs(reg)...), list, ref)...)

		dst := m.isolated(t)
		res = dst.mustReg(t, reg, append(append([]string{"pull", "-q", "--arch", other}, dst.regArgs(reg)...), ref)...)
		otherID := res.Out()
		wantOut(t, dst.must(t, "image", "inspect", "--format", "{{.Architecture}}", otherID), other)
		third := m.isolated(t)
		res = third.mustReg(t, reg, append(append([]string{"pull", "-q"}, third.regArgs(reg)...), ref)...)
		if got, want := res.Out(), s.imageID(t, image); got != want {
			t.Errorf("pull of the host platform: ID %s, want the fixture's %s", got, want)
		}

		s.must(t, "manifest", "rm", list)
		wantCode(t, s.run(t, "manifest", "inspect", list), 125)
		s.must(t, "image", "exists", image)
	})
}
