package libpod

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// Volume drivers and labels.
const (
	// LocalDriver is the only volume driver: a directory under the graph
	// root, or a filesystem (tmpfs, a bind) mounted there.
	LocalDriver = "local"
	// AnonymousLabel marks an anonymous volume, as Docker 23 and later
	// do; prune removes only those unless asked for all.
	AnonymousLabel = "com.docker.volume.anonymous"
	// VolumeScope is every volume's scope: skiff has no swarm.
	VolumeScope = "local"
)

// VolumeConfig is what a volume is made with; it never changes.
type VolumeConfig struct {
	Driver  string            `json:"driver"`
	Labels  map[string]string `json:"labels,omitempty"`
	Options map[string]string `json:"options,omitempty"`
}

// Volume is one volume with the containers that use it.
type Volume struct {
	Name      string
	Created   time.Time
	Anonymous bool
	VolumeConfig
	// Mountpoint is the volume's data directory on the host.
	Mountpoint string
	// Users are the IDs of the containers using it.
	Users []string
}

// VolumeCreateOptions describe a new volume.
type VolumeCreateOptions struct {
	// Name is the volume's name; empty picks a random 64-hex one.
	Name    string
	Driver  string
	Labels  map[string]string
	Options map[string]string
	// IgnoreIfExists returns the existing volume of that name.
	IgnoreIfExists bool
}

// VolumeCreate makes a volume: its row, then its data directory (created
// again on use, so a create killed in between leaves a usable volume). A
// volume created without a name is anonymous, as Docker 23 and later make
// it, so a plain prune removes it.
func (r *Runtime) VolumeCreate(ctx context.Context, opts VolumeCreateOptions) (*Volume, error) {
	rec, err := newVolumeRecord(opts.Name, opts.Name == "", VolumeConfig{Driver: opts.Driver, Labels: opts.Labels, Options: opts.Options})
	if err != nil {
		return nil, err
	}
	if err := r.db.AddVolume(ctx, rec); err != nil {
		if opts.IgnoreIfExists && errors.Is(err, errdefs.ErrVolumeExists) {
			return r.VolumeInspect(ctx, rec.Name)
		}
		return nil, err
	}
	if err := r.prepareVolumeDir(rec.Name); err != nil {
		return nil, err
	}
	r.recordVolumeEvent(ctx, rec.Name, "create")
	return r.VolumeInspect(ctx, rec.Name)
}

// newVolumeRecord checks a volume's name and config and makes its row;
// an empty name is replaced by a random one.
func newVolumeRecord(name string, anonymous bool, cfg VolumeConfig) (state.VolumeRecord, error) {
	if name == "" {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return state.VolumeRecord{}, fmt.Errorf("generating volume name: %w", err)
		}
		name = hex.EncodeToString(b[:])
	}
	if err := specgen.ValidVolumeName(name); err != nil {
		return state.VolumeRecord{}, fmt.Errorf("creating volume: %v: %w", err, errdefs.ErrInvalidArg)
	}
	if cfg.Driver == "" {
		cfg.Driver = LocalDriver
	}
	if cfg.Driver != LocalDriver {
		return state.VolumeRecord{}, fmt.Errorf("volume driver %q is not supported: only %q is: %w", cfg.Driver, LocalDriver, errdefs.ErrInvalidArg)
	}
	if err := checkLocalOptions(cfg.Options); err != nil {
		return state.VolumeRecord{}, fmt.Errorf("creating volume %s: %w", name, err)
	}
	if anonymous {
		labels := map[string]string{AnonymousLabel: ""}
		for k, v := range cfg.Labels {
			labels[k] = v
		}
		cfg.Labels = labels
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return state.VolumeRecord{}, err
	}
	return state.VolumeRecord{Name: name, Created: time.Now(), Anonymous: anonymous, Config: data}, nil
}

// VolumeInspect reports one volume by name.
func (r *Runtime) VolumeInspect(ctx context.Context, name string) (*Volume, error) {
	rec, err := r.db.Volume(ctx, name)
	if err != nil {
		return nil, err
	}
	uses, err := r.db.VolumeUses(ctx, name)
	if err != nil {
		return nil, err
	}
	return r.toVolume(rec, uses)
}

// VolumeExists reports whether a volume of that name exists.
func (r *Runtime) VolumeExists(ctx context.Context, name string) (bool, error) {
	_, err := r.db.Volume(ctx, name)
	if errors.Is(err, errdefs.ErrNoSuchVolume) {
		return false, nil
	}
	return err == nil, err
}

// allVolumes reports every volume with its users, by name.
func (r *Runtime) allVolumes(ctx context.Context) ([]Volume, error) {
	recs, err := r.db.ListVolumes(ctx)
	if err != nil {
		return nil, err
	}
	uses, err := r.db.VolumeUses(ctx)
	if err != nil {
		return nil, err
	}
	byVol := map[string][]state.VolumeUse{}
	for _, u := range uses {
		byVol[u.Volume] = append(byVol[u.Volume], u)
	}
	out := make([]Volume, 0, len(recs))
	for _, rec := range recs {
		v, err := r.toVolume(rec, byVol[rec.Name])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

func (r *Runtime) toVolume(rec state.VolumeRecord, uses []state.VolumeUse) (*Volume, error) {
	v := &Volume{Name: rec.Name, Created: rec.Created, Anonymous: rec.Anonymous, Mountpoint: r.volumeData(rec.Name)}
	if err := json.Unmarshal(rec.Config, &v.VolumeConfig); err != nil {
		return nil, fmt.Errorf("decoding volume %s: %w", rec.Name, err)
	}
	for _, u := range uses {
		v.Users = append(v.Users, u.ContainerID)
	}
	return v, nil
}

// VolumeRemoveOptions say how to remove a volume.
type VolumeRemoveOptions struct {
	// Force removes the containers using the volume first (Podman's -f).
	Force bool
	// Timeout is their stop timeout before SIGKILL; nil kills at once.
	Timeout *uint
}

// VolumeRemove removes a volume and its data. A volume in use is refused
// with one line naming a container, unless opts.Force.
func (r *Runtime) VolumeRemove(ctx context.Context, name string, opts VolumeRemoveOptions) error {
	v, err := r.VolumeInspect(ctx, name)
	if err != nil {
		return err
	}
	if len(v.Users) > 0 && !opts.Force {
		return r.volumeInUse(ctx, name, v.Users[0])
	}
	for _, id := range v.Users {
		c, err := r.byID(ctx, id)
		if errors.Is(err, errdefs.ErrNoSuchContainer) {
			continue
		}
		if err != nil {
			return err
		}
		if err := r.Remove(ctx, c, RemoveOptions{Force: true, Timeout: opts.Timeout}); err != nil && !errors.Is(err, errdefs.ErrNoSuchContainer) {
			return fmt.Errorf("removing container %s that uses volume %s: %w", c.Name, name, err)
		}
	}
	return r.removeVolume(ctx, name)
}

// removeVolume deletes an unused volume: the row first (SQLite refuses
// if a container took it meanwhile), then the data. A stray directory
// left by a killed rm is cleared when a volume of that name is created.
func (r *Runtime) removeVolume(ctx context.Context, name string) error {
	if err := r.db.RemoveVolume(ctx, name); err != nil {
		if errors.Is(err, errdefs.ErrVolumeInUse) {
			if uses, uerr := r.db.VolumeUses(ctx, name); uerr == nil && len(uses) > 0 {
				return r.volumeInUse(ctx, name, uses[0].ContainerID)
			}
		}
		return err
	}
	ctx = context.WithoutCancel(ctx)
	if err := r.unmountVolume(name); err != nil {
		logrus.Warnf("unmounting volume %s: %v", name, err)
	}
	if err := os.RemoveAll(r.volumeDir(name)); err != nil {
		return fmt.Errorf("removing the data of volume %s: %w", name, err)
	}
	r.recordVolumeEvent(ctx, name, "destroy")
	return nil
}

func (r *Runtime) volumeInUse(ctx context.Context, name, id string) error {
	who := id
	if len(who) > 12 {
		who = who[:12]
	}
	if c, err := r.byID(ctx, id); err == nil {
		who = c.Name
	}
	return fmt.Errorf("volume %s is being used by container %s: remove the container first or use -f: %w", name, who, errdefs.ErrVolumeInUse)
}

// PrunedVolume is a volume a prune removed, with the bytes it held.
type PrunedVolume struct {
	Name string
	Size uint64
}

// VolumePrune removes the volumes no container uses that filters select
// (label, label!, until, name) and, unless all, only anonymous ones, as
// Docker 23 and later.
func (r *Runtime) VolumePrune(ctx context.Context, filters map[string][]string, all bool) ([]PrunedVolume, error) {
	match, err := compileVolumePruneFilter(filters)
	if err != nil {
		return nil, err
	}
	vols, err := r.allVolumes(ctx)
	if err != nil {
		return nil, err
	}
	var out []PrunedVolume
	for _, v := range vols {
		if len(v.Users) > 0 || (!all && !v.Anonymous) || !match(&v) {
			continue
		}
		size := dirSize(r.volumeData(v.Name))
		if err := r.removeVolume(ctx, v.Name); err != nil {
			if errors.Is(err, errdefs.ErrVolumeInUse) {
				continue
			}
			return out, err
		}
		out = append(out, PrunedVolume{Name: v.Name, Size: size})
	}
	return out, nil
}

// volumeDir is a volume's directory; its data is in _data below it, as
// Docker's and Podman's.
func (r *Runtime) volumeDir(name string) string {
	return filepath.Join(r.cfg.GraphRoot, "volumes", name)
}

func (r *Runtime) volumeData(name string) string { return filepath.Join(r.volumeDir(name), "_data") }

// prepareVolumeDir makes a new volume's data directory, emptying one a
// killed rm of an older volume of the same name left.
func (r *Runtime) prepareVolumeDir(name string) error {
	if err := r.unmountVolume(name); err != nil {
		return err
	}
	if err := os.RemoveAll(r.volumeDir(name)); err != nil {
		return fmt.Errorf("clearing the directory of volume %s: %w", name, err)
	}
	return r.ensureVolumeDir(name)
}

func (r *Runtime) ensureVolumeDir(name string) error {
	if err := os.MkdirAll(filepath.Dir(r.volumeDir(name)), 0o711); err != nil {
		return fmt.Errorf("creating the volumes directory: %w", err)
	}
	if err := os.MkdirAll(r.volumeData(name), 0o755); err != nil {
		return fmt.Errorf("creating the directory of volume %s: %w", name, err)
	}
	return nil
}

// dirSize is the bytes of the regular files under dir (0 when unreadable).
func dirSize(dir string) uint64 {
	var n uint64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += uint64(info.Size())
			}
		}
		return nil
	})
	return n
}

func (r *Runtime) recordVolumeEvent(ctx context.Context, name, action string) {
	ev := state.Event{Type: "volume", Action: action, ID: name, Name: name,
		Attributes: map[string]string{"driver": LocalDriver}}
	if _, err := r.db.AddEvent(context.WithoutCancel(ctx), ev); err != nil {
		logrus.Warnf("recording %s event of volume %s: %v", action, name, err)
	}
}
