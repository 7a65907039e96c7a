package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// The suite's own configuration. Every call, and every service, reads the
// containers configuration files the suite wrote, never the host's
// /etc/containers or a user's ~/.config/containers, so that no file left
// on the machine changes a result. Cases about those files (registries,
// short names, signatures, credentials) point the variables or HOME at
// files of their own, which the harness lets them override.

// containersConf is the suite's containers.conf. skiff needs nothing in
// it. Podman (validation mode) does: crun fails on cgroup v1 hosts, its
// default rlimits exceed those of the sandboxes the suite runs in, and
// rootless slirp4netns cannot open /dev/net/tun where it is mode 0600 (no
// case depends on the default network).
func containersConf(podman bool) string {
	if !podman {
		return ""
	}
	return `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"

[engine]
runtime = "runc"
`
}

// storageConf is the suite's storage.conf. --root and --runroot name each
// store and skiff picks its driver itself; containers/storage still reads
// the file, warns on every call when it names no driver, and fails when
// the variable names no file, so it names the driver skiff tries first.
const storageConf = `[storage]
driver = "overlay"
`

// acceptAnything is the signature policy of the suite's homes: the images
// the cases use are unsigned, and a host's /etc/containers/policy.json
// must not decide otherwise. (The user's policy.json comes before the
// system's, for containers/image as for skiff.)
const acceptAnything = `{"default": [{"type": "insecureAcceptAnything"}]}
`

// configFiles are the files the suite points every call at.
type configFiles struct {
	registries string // CONTAINERS_REGISTRIES_CONF: no registries, no short names
	containers string // CONTAINERS_CONF
	storage    string // CONTAINERS_STORAGE_CONF: storageConf
	skiff      string // SKIFF_CONFIG: empty, in place of /etc/skiff/skiff.conf
}

// env is the variables that name the files.
func (c configFiles) env() []string {
	return []string{
		"CONTAINERS_REGISTRIES_CONF=" + c.registries,
		"CONTAINERS_CONF=" + c.containers,
		"CONTAINERS_STORAGE_CONF=" + c.storage,
		"SKIFF_CONFIG=" + c.skiff,
	}
}

// writeConfigFiles writes the suite's configuration below work, readable
// by every mode's user.
func writeConfigFiles(work string, podman bool) (configFiles, error) {
	dir := filepath.Join(work, "containers")
	c := configFiles{
		registries: filepath.Join(dir, "registries.conf"),
		containers: filepath.Join(dir, "containers.conf"),
		storage:    filepath.Join(dir, "storage.conf"),
		skiff:      filepath.Join(dir, "skiff.conf"),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return c, err
	}
	for path, content := range map[string]string{c.registries: "", c.containers: containersConf(podman), c.storage: storageConf, c.skiff: ""} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return c, err
		}
	}
	return c, nil
}

// makeHome makes dir the mode's HOME: owned by its user, holding only the
// suite's policy.json and an empty registries.d (containers/image reads
// the user's registries.d instead of the system's when it exists).
func makeHome(dir string, uid, gid int) error {
	cfg := filepath.Join(dir, ".config", "containers")
	if err := os.MkdirAll(filepath.Join(cfg, "registries.d"), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cfg, "policy.json"), []byte(acceptAnything), 0o600); err != nil {
		return err
	}
	return filepath.Walk(dir, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
}

// newHome is a fresh HOME for m's user, as the suite's (makeHome), for a
// case about what a user keeps in HOME: it adds its own files.
func (m *Mode) newHome(t testing.TB) string {
	t.Helper()
	home := m.tempDir(t)
	if err := makeHome(home, m.uid, m.gid); err != nil {
		t.Fatal(err)
	}
	return home
}
