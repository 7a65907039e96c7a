package libpod

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/containers/storage"
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
