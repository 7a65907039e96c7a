package libpod

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strconv"

	"github.com/BurntSushi/toml"
	"github.com/containers/storage"
	storagetypes "github.com/containers/storage/types"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/config"
)

// openStore opens containers/storage. With no driver configured it tries,
// in order, native overlay (works inside a user namespace on kernels from
// 5.11), overlay through fuse-overlayfs, and vfs. containers/storage refuses
// a driver that differs from the one a store was created with, so the first
// success sticks for the life of the store.
func openStore(cfg *config.Config) (storage.Store, error) {
	if cfg.Rootless {
		// containers/storage reads these to know it is rootless and whose.
		os.Setenv("_CONTAINERS_USERNS_CONFIGURED", "done")
		os.Setenv("_CONTAINERS_ROOTLESS_UID", strconv.Itoa(cfg.UID))
	}
	if err := checkStorageConf(); err != nil {
		return nil, err
	}
	base := storage.StoreOptions{GraphRoot: cfg.GraphRoot, RunRoot: cfg.RunRoot}
	if cfg.StorageDriver != "" {
		base.GraphDriverName = cfg.StorageDriver
		base.GraphDriverOptions = cfg.StorageOptions
		s, err := storage.GetStore(base)
		if err != nil {
			return nil, fmt.Errorf("opening storage with driver %s at %s: %w", cfg.StorageDriver, cfg.GraphRoot, err)
		}
		return s, nil
	}
	var errs []error
	for _, c := range driverCandidates() {
		opts := base
		opts.GraphDriverName = c.driver
		opts.GraphDriverOptions = c.options
		s, err := storage.GetStore(opts)
		if err == nil {
			logrus.Debugf("storage driver %s %v", c.driver, c.options)
			return s, nil
		}
		logrus.Debugf("storage driver %s %v unusable: %v", c.driver, c.options, err)
		errs = append(errs, fmt.Errorf("%s: %w", c.driver, err))
	}
	return nil, fmt.Errorf("no usable storage driver at %s: %w", cfg.GraphRoot, errors.Join(errs...))
}

// checkStorageConf refuses a storage.conf that exists but does not parse,
// in one line naming it: containers/storage reads it inside GetStore (for
// defaults skiff then overrides), logs a warning and fails each driver
// with the parser's message, which names neither the file nor which of
// them is wrong. A missing file is the fresh host's normal case.
func checkStorageConf() error {
	path, err := storagetypes.DefaultConfigFile()
	if err != nil {
		return nil
	}
	var conf storagetypes.TomlConfig
	_, err = toml.DecodeFile(path, &conf)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("storage configuration %s: %w", path, err)
	case os.Getenv("CONTAINERS_STORAGE_CONF") == path:
		// Named explicitly: a typo must not silently mean defaults
		// (containers.conf and registries.conf behave the same).
		return fmt.Errorf("CONTAINERS_STORAGE_CONF names %s, which does not exist", path)
	}
	return nil
}

type driverCandidate struct {
	driver  string
	options []string
}

func driverCandidates() []driverCandidate {
	c := []driverCandidate{{driver: "overlay"}}
	if p, err := exec.LookPath("fuse-overlayfs"); err == nil {
		c = append(c, driverCandidate{driver: "overlay", options: []string{"overlay.mount_program=" + p}})
	}
	return append(c, driverCandidate{driver: "vfs"})
}
