package registryauth

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain runs the tests with a containers configuration of their own:
// containers/image reads registries.conf (credential helpers) and the
// default auth files when it looks up credentials.
func TestMain(m *testing.M) {
	dir, err := isolateConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "isolating the containers configuration:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// isolateConfig points containers/image and containers/common at empty
// files in a directory of the test binary's own, and HOME at an empty
// directory there, so that nothing in /etc/containers, ~/.config/containers
// or ~/.docker changes a result. It returns the directory.
func isolateConfig() (string, error) {
	dir, err := os.MkdirTemp("", "skiff-registryauth-test-config-")
	if err != nil {
		return "", err
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		return dir, err
	}
	env := map[string]string{"HOME": home}
	for _, f := range []struct{ env, name string }{
		{"CONTAINERS_REGISTRIES_CONF", "registries.conf"},
		{"CONTAINERS_CONF", "containers.conf"},
		{"CONTAINERS_STORAGE_CONF", "storage.conf"},
	} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, nil, 0o644); err != nil {
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
