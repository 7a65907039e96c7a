package compat

import (
	"os"
	"path/filepath"
)

// The suite's own configuration: skiff, as every mode's user, reads the
// containers configuration the suite wrote and a HOME the suite made,
// never the host's /etc/containers or a user's ~/.config/containers, so
// that no file left on the machine changes a result. The docker CLI has a
// HOME and a DOCKER_CONFIG of the suite's own too (dockerEnv).

// acceptAnything is the signature policy of the suite's homes: the images
// the cases use are unsigned, and a host's /etc/containers/policy.json
// must not decide otherwise (the user's policy.json comes first).
const acceptAnything = `{"default": [{"type": "insecureAcceptAnything"}]}
`

// storageConf is the suite's storage.conf. --root and --runroot name each
// store and skiff picks its driver itself; containers/storage still reads
// the file, warns on every call when it names no driver, and fails when
// the variable names no file, so it names the driver skiff tries first.
const storageConf = `[storage]
driver = "overlay"
`

// configEnv names the suite's containers configuration: registries.conf
// is the one marking the test registries insecure (startRegistries),
// containers.conf is empty, storage.conf is storageConf, and skiff.conf
// (in place of /etc/skiff/skiff.conf) is empty.
func (s *suiteState) configEnv() []string {
	dir := filepath.Join(s.work, "containers")
	return []string{
		"CONTAINERS_REGISTRIES_CONF=" + s.regConf,
		"CONTAINERS_CONF=" + filepath.Join(dir, "containers.conf"),
		"CONTAINERS_STORAGE_CONF=" + filepath.Join(dir, "storage.conf"),
		"SKIFF_CONFIG=" + filepath.Join(dir, "skiff.conf"),
	}
}

// writeConfigFiles writes the containers.conf and storage.conf that
// configEnv names, readable by every mode's user.
func (s *suiteState) writeConfigFiles() error {
	dir := filepath.Join(s.work, "containers")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for f, content := range map[string]string{"containers.conf": "", "storage.conf": storageConf, "skiff.conf": ""} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// makeHome makes dir a mode's HOME: owned by its user, holding only the
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
