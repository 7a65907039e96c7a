package libpod

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	nettypes "github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// Status is a container's lifecycle state, named as Docker names it.
type Status string

const (
	StatusCreated  Status = "created"
	StatusRunning  Status = "running"
	StatusPaused   Status = "paused"
	StatusExited   Status = "exited"
	StatusRemoving Status = "removing"
)

// ContainerConfig is fixed when the container is created.
type ContainerConfig struct {
	Spec      specgen.SpecGenerator `json:"spec"`
	ImageID   string                `json:"image_id"`
	ImageName string                `json:"image_name"`
	Image     specgen.ImageConfig   `json:"image"`
	// StorageCreated records that storage has a container of this ID, so a
	// half-made container is still cleaned up by rm.
	Hostname string `json:"hostname"`
}

// ContainerState changes over the container's life.
type ContainerState struct {
	Status       Status    `json:"status"`
	PID          int       `json:"pid,omitempty"`
	ConmonPID    int       `json:"conmon_pid,omitempty"`
	ExitCode     int       `json:"exit_code"`
	StartedAt    time.Time `json:"started_at,omitempty"`
	FinishedAt   time.Time `json:"finished_at,omitempty"`
	Mountpoint   string    `json:"mountpoint,omitempty"`
	OCICreated   bool      `json:"oci_created,omitempty"`
	RestartCount int       `json:"restart_count,omitempty"`
	Error        string    `json:"error,omitempty"`
	// Epoch counts starts; wait for "next-exit" watches it change.
	Epoch int `json:"epoch,omitempty"`
	// NetNS is the network namespace file the engine made for the
	// container, while it exists.
	NetNS string `json:"netns,omitempty"`
	// Ports are the published ports, host ports assigned, while the
	// container's network is up.
	Ports []nettypes.PortMapping `json:"ports,omitempty"`
	// NetworkStatus is netavark's report per bridge network while the
	// container is attached.
	NetworkStatus map[string]nettypes.StatusBlock `json:"network_status,omitempty"`
}

// Container is one container as read from the database.
type Container struct {
	ID      string
	Name    string
	Created time.Time
	Config  ContainerConfig
	State   ContainerState
}

// decodeContainer turns a database row into a Container. A container's
// config changes only on `update`, so its decoded form is kept by ID with
// the bytes it came from: a long-lived service answering list requests
// decodes each config once, and again only after an update (by this
// process or another), which a byte comparison notices.
func (r *Runtime) decodeContainer(rec state.ContainerRecord) (*Container, error) {
	c := &Container{ID: rec.ID, Name: rec.Name, Created: rec.Created}
	if cached, ok := r.configs.Load(rec.ID); ok && bytes.Equal(cached.(*cachedConfig).raw, rec.Config) {
		c.Config = *cached.(*cachedConfig).cfg
	} else {
		var cfg ContainerConfig
		if err := json.Unmarshal(rec.Config, &cfg); err != nil {
			return nil, fmt.Errorf("decoding config of container %s: %w", rec.ID, err)
		}
		r.configs.Store(rec.ID, &cachedConfig{raw: bytes.Clone(rec.Config), cfg: &cfg})
		c.Config = cfg
	}
	if err := json.Unmarshal(rec.State, &c.State); err != nil {
		return nil, fmt.Errorf("decoding state of container %s: %w", rec.ID, err)
	}
	return c, nil
}

// cachedConfig is a decoded config and the stored bytes it came from.
type cachedConfig struct {
	raw []byte
	cfg *ContainerConfig
}

func (r *Runtime) lookup(ctx context.Context, nameOrID string) (*Container, error) {
	rec, err := r.db.LookupContainer(ctx, nameOrID)
	if err != nil {
		return nil, err
	}
	return r.decodeContainer(rec)
}

func (r *Runtime) byID(ctx context.Context, id string) (*Container, error) {
	rec, err := r.db.Container(ctx, id)
	if err != nil {
		return nil, err
	}
	return r.decodeContainer(rec)
}

func (r *Runtime) saveState(ctx context.Context, c *Container) error {
	raw, err := json.Marshal(c.State)
	if err != nil {
		return err
	}
	if err := r.db.UpdateContainerState(ctx, c.ID, raw); err != nil {
		return fmt.Errorf("saving state of container %s: %w", c.ID, err)
	}
	return nil
}

// bundleDir holds config.json, conmon's attach socket and ctl fifo.
func (r *Runtime) bundleDir(id string) string {
	return filepath.Join(r.cfg.TmpDir(), "containers", id)
}

// persistDir survives reboots: logs and conmon's persisted exit file.
func (r *Runtime) persistDir(id string) string {
	return filepath.Join(r.cfg.StaticDir(), "containers", id)
}

func (r *Runtime) logPath(id string) string {
	return filepath.Join(r.persistDir(id), "ctr.log")
}
