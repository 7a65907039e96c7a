package libpod

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/containers/storage"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// CreateContainer records a new container and prepares its storage. The
// database row is written first, so a process killed half-way leaves a
// container that ps shows and rm -f removes.
func (r *Runtime) CreateContainer(ctx context.Context, spec specgen.SpecGenerator) (*Container, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	images, err := r.Images()
	if err != nil {
		return nil, err
	}
	logrus.Debugf("storage open")
	img, err := r.resolveImage(ctx, images, spec)
	if err != nil {
		return nil, err
	}
	logrus.Debugf("image %s resolved to %s", spec.Image, img.ID)
	id, err := newID()
	if err != nil {
		return nil, err
	}
	c := &Container{
		ID:      id,
		Name:    spec.Name,
		Created: time.Now(),
		Config: ContainerConfig{
			Spec: spec, ImageID: img.ID, ImageName: img.Name, Image: img.Config,
			Hostname: spec.Hostname,
		},
		State: ContainerState{Status: StatusCreated},
	}
	if c.Config.Hostname == "" {
		c.Config.Hostname = id[:12]
	}
	if err := r.addContainer(ctx, c); err != nil {
		return nil, err
	}
	store, err := r.Store()
	if err != nil {
		return nil, err
	}
	// A --rm container never outlives a reboot: its storage can skip the
	// fsyncs that make a container survive a crash (Podman does the same).
	if _, err := store.CreateContainer(id, nil, img.ID, "", "", &storage.ContainerOptions{Volatile: spec.Remove}); err != nil {
		r.db.RemoveContainer(context.WithoutCancel(ctx), id)
		return nil, fmt.Errorf("creating storage for container %s: %w", id, err)
	}
	logrus.Debugf("created container %s", id)
	r.recordEvent(ctx, c, "create", nil)
	return c, nil
}

// addContainer inserts the row, generating a name when none was given.
func (r *Runtime) addContainer(ctx context.Context, c *Container) error {
	cfg, err := json.Marshal(c.Config)
	if err != nil {
		return err
	}
	st, err := json.Marshal(c.State)
	if err != nil {
		return err
	}
	generated := c.Name == ""
	for attempt := 0; ; attempt++ {
		if generated {
			c.Name = randomName(attempt)
		}
		err = r.db.AddContainer(ctx, state.ContainerRecord{
			ID: c.ID, Name: c.Name, ImageID: c.Config.ImageID, Created: c.Created,
			Config: cfg, State: st,
		})
		if err == nil || !generated || !errors.Is(err, errdefs.ErrNameInUse) || attempt > 10 {
			return err
		}
	}
}

func newID() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating container ID: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
