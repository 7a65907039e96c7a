package network

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/containers/common/pkg/netns"
)

// CreateNetNS creates a network namespace and bind-mounts it at path, so
// it outlives the thread that made it. A file left at path by a crash is
// cleared first.
func CreateNetNS(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the network namespace directory: %w", err)
	}
	if err := RemoveNetNS(path); err != nil {
		return err
	}
	ns, err := netns.NewNSAtPath(path)
	if err != nil {
		return fmt.Errorf("creating network namespace %s: %w", path, err)
	}
	return ns.Close()
}

// RemoveNetNS unmounts and removes the namespace file at path; a missing
// file is fine. pasta watches the file and quits once it is gone.
func RemoveNetNS(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := netns.UnmountNS(path); err != nil {
		return fmt.Errorf("removing network namespace %s: %w", path, err)
	}
	return nil
}
