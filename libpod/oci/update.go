package oci

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// UpdateContainer applies new cgroup limits to a created or running
// container (`runtime update --resources <file>`). The file is written to
// dir, which the caller owns (the container's bundle).
func (r *Runtime) UpdateContainer(ctx context.Context, id, dir string, res *specs.LinuxResources) error {
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "resources-*.json")
	if err != nil {
		return fmt.Errorf("writing resources of %s: %w", id, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing resources of %s: %w", id, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing resources of %s: %w", id, err)
	}
	_, err = r.run(ctx, "update", "--resources", f.Name(), id)
	return err
}
