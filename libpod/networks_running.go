package libpod

import (
	"context"
	"fmt"

	nettypes "github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// attachRunning gives running container c an interface on network name.
// It needs the container's own network namespace, which comes with the
// per-container network setup.
func (r *Runtime) attachRunning(ctx context.Context, c *Container, name string, opts nettypes.PerNetworkOptions) error {
	return fmt.Errorf("connecting running container %s to network %s: %w", c.Name, name, errdefs.ErrNotImplemented)
}

// detachRunning removes running container c's interface on network name.
func (r *Runtime) detachRunning(ctx context.Context, c *Container, name string, opts nettypes.PerNetworkOptions) error {
	return fmt.Errorf("disconnecting running container %s from network %s: %w", c.Name, name, errdefs.ErrNotImplemented)
}

// networkStatus is what libnetwork set up for running container c on
// network name, or nil.
func (r *Runtime) networkStatus(c *Container, name string) *nettypes.StatusBlock {
	return nil
}
