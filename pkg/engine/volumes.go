package engine

import (
	"context"
	"io"

	"github.com/docker/docker/api/types/volume"
)

// VolumeEngine holds the operations on volumes: local-driver volumes
// whose data lives under the graph root (<graphroot>/volumes/NAME/_data).
// Reports are Docker's own type, so `volume inspect` and the Docker API
// answer alike.
type VolumeEngine interface {
	Create(ctx context.Context, opts VolumeCreateOptions) (*VolumeReport, error)
	// List reports the volumes opts' filters select (dangling, driver,
	// label, name), by name.
	List(ctx context.Context, opts VolumeListOptions) ([]VolumeReport, error)
	// Inspect reports the named volumes; a missing one fails the call
	// with ErrNoSuchVolume after the rest are reported.
	Inspect(ctx context.Context, names []string) ([]VolumeReport, error)
	// Remove removes volumes one by one: each report carries its own
	// error. A volume in use is refused unless opts.Force, which removes
	// the containers using it first (Podman's -f).
	Remove(ctx context.Context, names []string, opts VolumeRemoveOptions) ([]ActionReport, error)
	// Prune removes unused volumes: only anonymous ones unless opts.All,
	// as Docker 23 and later.
	Prune(ctx context.Context, opts VolumePruneOptions) (*VolumePruneReport, error)
	Exists(ctx context.Context, name string) (bool, error)
	// Export writes the volume's content as a tar archive to out.
	Export(ctx context.Context, name string, out io.Writer) error
	// Import unpacks the tar archive in into the volume.
	Import(ctx context.Context, name string, in io.Reader) error
}

// VolumeReport is a volume in Docker's shape (GET /volumes/{name}).
type VolumeReport = volume.Volume

// VolumeCreateOptions describe a new volume, as `volume create` takes them.
type VolumeCreateOptions struct {
	// Name is the volume's name; empty picks a random one.
	Name   string            `json:"name,omitempty"`
	Driver string            `json:"driver,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	// Options are the local driver's: type, device, o.
	Options map[string]string `json:"options,omitempty"`
	// IgnoreIfExists reports an existing volume of that name instead of
	// failing, as Docker's create does.
	IgnoreIfExists bool `json:"ignore_if_exists,omitempty"`
}

// VolumeListOptions select volumes with Docker's volume filters.
type VolumeListOptions struct {
	Filters map[string][]string `json:"filters,omitempty"`
}

// VolumeRemoveOptions remove volumes.
type VolumeRemoveOptions struct {
	// Force removes the containers using the volume first.
	Force bool `json:"force,omitempty"`
	// Timeout is how long to wait for those containers to stop.
	Timeout *uint `json:"timeout,omitempty"`
}

// VolumePruneOptions select what a prune may remove: label, label! and
// until filters.
type VolumePruneOptions struct {
	Filters map[string][]string `json:"filters,omitempty"`
	// All prunes named volumes too (Docker's --all).
	All bool `json:"all,omitempty"`
}

// VolumePruneReport is what a prune removed (Docker's PruneReport).
type VolumePruneReport = volume.PruneReport
