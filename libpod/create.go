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

	"github.com/skiffcontainers/skiff/libpod/network"
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
	if err := spec.ValidateHost(r.hostOptions()); err != nil {
		return nil, err
	}
	if err := r.resolveNetwork(&spec); err != nil {
		return nil, err
	}
	nets, err := r.specNetworks(ctx, spec)
	if err != nil {
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
	vols, err := r.resolveVolumes(ctx, &spec, img.Config)
	if err != nil {
		return nil, err
	}
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
	if err := r.addContainer(ctx, c, nets, vols); err != nil {
		return nil, err
	}
	if err := r.prepareNewVolumes(ctx, vols); err != nil {
		// Not fatal: start makes the directories it finds missing.
		logrus.Warnf("preparing the new volumes of container %s: %v", c.ID, err)
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

// addContainer inserts the row, and in the same transaction the
// container's networks, generating a name when none was given.
func (r *Runtime) addContainer(ctx context.Context, c *Container, nets map[string]json.RawMessage, vols []state.VolumeRecord) error {
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
			Config: cfg, State: st, Networks: nets, Volumes: vols,
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

// resolveNetwork records the default network mode in the spec when none
// was asked for (so a later change of the default leaves the container
// as it was), and refuses published ports that cannot be had now: a taken
// or privileged host port fails the create, leaving nothing behind. They
// are checked again at each start.
func (r *Runtime) resolveNetwork(spec *specgen.SpecGenerator) error {
	m, err := specgen.ParseNetworkMode(spec.NetworkMode)
	if err != nil {
		return err
	}
	if m.Kind == "" {
		if spec.NetworkMode, err = r.defaultNetworkMode(); err != nil {
			return err
		}
		// The default mode may refuse what "" allowed (a port with none).
		if err := spec.Validate(); err != nil {
			return err
		}
		m, _ = specgen.ParseNetworkMode(spec.NetworkMode)
	}
	if err := r.checkNetworksExist(spec); err != nil {
		return err
	}
	if m.Kind == specgen.NetworkPasta && !r.cfg.Rootless {
		// pasta drops to nobody as real root and then cannot open the
		// namespace: say so before anything is made.
		return errdefs.WithClass(errdefs.ClassInvalid, "--network pasta cannot be used as root (pasta refuses to run as root): use --network bridge, the default")
	}
	return network.CheckPorts(spec.PortMappings, r.cfg.Rootless)
}

// defaultNetworkMode is skiff.conf's [network] default_network_mode, else
// the bridge network as root (pasta refuses to run as real root) and
// pasta rootless, or slirp4netns where pasta is not installed. Finding
// them is a stat each, no process.
func (r *Runtime) defaultNetworkMode() (string, error) {
	if m := r.cfg.DefaultNetworkMode; m != "" {
		return m, nil
	}
	if !r.cfg.Rootless {
		return specgen.NetworkBridge, nil
	}
	if _, err := network.FindHelper("pasta", "passt"); err == nil {
		return specgen.NetworkPasta, nil
	}
	if _, err := network.FindHelper("slirp4netns", "slirp4netns"); err == nil {
		return specgen.NetworkSlirp, nil
	}
	return "", errdefs.WithClass(errdefs.ClassUnavailable,
		"no rootless network helper found: install the passt package (or slirp4netns), or run with --network none or host")
}

// checkNetworksExist refuses a bridge network that does not exist, in one
// line, before anything is stored (netavark would fail only at start).
// Other modes never open the network backend.
func (r *Runtime) checkNetworksExist(spec *specgen.SpecGenerator) error {
	m, _ := specgen.ParseNetworkMode(spec.NetworkMode)
	if m.Kind != specgen.NetworkBridge {
		return nil
	}
	backend, err := r.Network()
	if err != nil {
		return err
	}
	names := []string{m.Target}
	for name := range spec.Networks {
		if name != m.Target {
			names = append(names, name)
		}
	}
	for _, name := range names {
		if _, err := backend.NetworkInspect(name); err != nil {
			return errdefs.WithClass(errdefs.ClassNotFound, fmt.Sprintf("network %s not found", name))
		}
	}
	return nil
}
