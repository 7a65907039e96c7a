package image

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/containers/storage/pkg/reexec"
)

// TestMain lets containers/storage re-execute the test binary for its
// chrooted layer extraction, as cmd/skiff's main does, and runs the tests
// with a containers configuration of their own.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	dir, err := isolateConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "isolating the containers configuration:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// isolateConfig points containers/image, containers/common and
// containers/storage at files in a directory of the test binary's own, and HOME at an empty
// directory there, so that nothing in /etc/containers, ~/.config/containers
// or ~/.docker changes a result. It returns the directory.
func isolateConfig() (string, error) {
	dir, err := os.MkdirTemp("", "skiff-image-test-config-")
	if err != nil {
		return "", err
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		return dir, err
	}
	env := map[string]string{"HOME": home}
	for _, f := range []struct{ env, name, content string }{
		{"CONTAINERS_REGISTRIES_CONF", "registries.conf", ""},
		{"CONTAINERS_CONF", "containers.conf", ""},
		// The driver of the tests' stores; with none named,
		// containers/storage warns at every store it opens.
		{"CONTAINERS_STORAGE_CONF", "storage.conf", "[storage]\ndriver = \"vfs\"\n"},
	} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, []byte(f.content), 0o644); err != nil {
			return dir, err
		}
		env[f.env] = path
	}
	for k, v := range env {
		os.Setenv(k, v)
	}
	for _, k := range []string{"XDG_CONFIG_HOME", "DOCKER_CONFIG", "REGISTRY_AUTH_FILE", "CONTAINERS_CONF_OVERRIDE"} {
		os.Unsetenv(k)
	}
	return dir, nil
}
