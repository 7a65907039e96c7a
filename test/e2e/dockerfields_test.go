package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestInfoVersionDockerFields checks that info and version templates take
// Docker's field names, and that their json is Docker's shape, while
// skiff's own (.Store, .Host) keep working.
func TestInfoVersionDockerFields(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		got := m.must(t, "info", "--format", "{{.ServerVersion}}|{{.Driver}}|{{.DockerRootDir}}|{{.OSType}}|{{.Store.GraphDriverName}}").Out()
		f := strings.Split(got, "|")
		if len(f) != 5 || f[0] == "" || f[1] == "" || f[1] != f[4] || f[2] != m.root || f[3] != "linux" {
			t.Errorf("info Docker fields: want version|driver|%s|linux|driver, got %q", m.root, got)
		}
		var info struct {
			ServerVersion, Driver, DockerRootDir, ID string
			NCPU, Images                             int
			ContainersRunning                        *int
		}
		res := m.must(t, "info", "--format", "json")
		if err := json.Unmarshal([]byte(res.Stdout), &info); err != nil || info.ServerVersion != f[0] || info.Driver != f[1] ||
			info.DockerRootDir != m.root || info.ID == "" || info.NCPU < 1 || info.Images < 1 || info.ContainersRunning == nil {
			t.Errorf("info --format json: want Docker's /info shape (%v): %s", err, res)
		}

		got = m.must(t, "version", "--format", "{{.Client.Version}}|{{.Server.Version}}|{{.Server.APIVersion}}").Out()
		if v := strings.Split(got, "|"); len(v) != 3 || v[0] == "" || v[0] != v[1] || v[2] != "1.51" {
			t.Errorf("version --format: want client|server|1.51 with equal versions, got %q", got)
		}
		var ver struct {
			Client struct{ Version, ApiVersion string }
			Server *struct{ Version, ApiVersion, MinAPIVersion string }
		}
		res = m.must(t, "version", "--format", "json")
		if err := json.Unmarshal([]byte(res.Stdout), &ver); err != nil || ver.Client.Version == "" || ver.Server == nil ||
			ver.Server.ApiVersion != "1.51" || ver.Server.MinAPIVersion != "1.24" {
			t.Errorf("version --format json: want Docker's {Client, Server} shape (%v): %s", err, res)
		}
	})
}
