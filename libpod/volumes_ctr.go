package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/containers/storage/pkg/chrootarchive"
	securejoin "github.com/cyphar/filepath-securejoin"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// resolveVolumes completes a new container's volumes: it adds those of
// --volumes-from containers and the image's VOLUME entries, names the
// anonymous ones and sets each Source. It returns the rows AddContainer
// records with the container, creating the volumes that do not exist.
func (r *Runtime) resolveVolumes(ctx context.Context, spec *specgen.SpecGenerator, img specgen.ImageConfig) ([]state.VolumeRecord, error) {
	taken := map[string]bool{}
	for _, m := range spec.Mounts {
		taken[filepath.Clean(m.Destination)] = true
	}
	for _, v := range spec.Volumes {
		taken[v.Destination] = true
	}
	for _, t := range spec.Tmpfs {
		taken[t.Destination] = true
	}
	if err := r.addVolumesFrom(ctx, spec, taken); err != nil {
		return nil, err
	}
	for _, dst := range img.Volumes {
		if dst = filepath.Clean(dst); !taken[dst] {
			spec.Volumes = append(spec.Volumes, specgen.VolumeMount{Destination: dst, Anonymous: true})
			taken[dst] = true
		}
	}
	var recs []state.VolumeRecord
	for i := range spec.Volumes {
		v := &spec.Volumes[i]
		rec, err := newVolumeRecord(v.Name, v.Anonymous, VolumeConfig{Options: v.VolumeOptions})
		if err != nil {
			return nil, err
		}
		v.Name, v.Source = rec.Name, r.volumeData(rec.Name)
		recs = append(recs, rec)
	}
	return recs, nil
}

// addVolumesFrom adds the volumes and binds of each --volumes-from
// container, read-only with :ro, else as the source has them (Docker).
func (r *Runtime) addVolumesFrom(ctx context.Context, spec *specgen.SpecGenerator, taken map[string]bool) error {
	for _, from := range spec.VolumesFrom {
		name, mode, _ := strings.Cut(from, ":")
		if mode != "" && mode != "ro" && mode != "rw" {
			return fmt.Errorf("invalid --volumes-from %q: mode must be ro or rw: %w", from, errdefs.ErrInvalidArg)
		}
		src, err := r.lookup(ctx, name)
		if err != nil {
			return fmt.Errorf("--volumes-from %s: %w", name, err)
		}
		for _, v := range src.Config.Spec.Volumes {
			if taken[v.Destination] {
				continue
			}
			v.ReadOnly = mode == "ro" || (mode == "" && v.ReadOnly)
			v.Options = slices.DeleteFunc(slices.Clone(v.Options), func(o string) bool { return o == "U" })
			spec.Volumes = append(spec.Volumes, v)
			taken[v.Destination] = true
		}
		for _, m := range src.Config.Spec.Mounts {
			if taken[filepath.Clean(m.Destination)] {
				continue
			}
			m.ReadOnly = mode == "ro" || (mode == "" && m.ReadOnly)
			spec.Mounts = append(spec.Mounts, m)
			taken[filepath.Clean(m.Destination)] = true
		}
	}
	spec.VolumesFrom = nil
	return nil
}

// prepareVolumes readies a container's volumes before it starts: the data
// directory, the filesystem a typed volume mounts, the image's content
// copied into an empty volume (unless nocopy), and the U option's chown.
func (r *Runtime) prepareVolumes(ctx context.Context, c *Container, rootfs string) error {
	for _, vm := range c.Config.Spec.Volumes {
		v, err := r.VolumeInspect(ctx, vm.Name)
		if err != nil {
			return fmt.Errorf("volume %s of container %s: %w", vm.Name, c.Name, err)
		}
		if err := r.ensureVolumeDir(v.Name); err != nil {
			return err
		}
		if err := r.mountVolume(v); err != nil {
			return err
		}
		if !vm.Has("nocopy") {
			if err := copyUp(rootfs, vm.Destination, v.Mountpoint); err != nil {
				return fmt.Errorf("copying %s of the image into volume %s: %w", vm.Destination, v.Name, err)
			}
		}
		if vm.Has("U") {
			if err := chownVolume(c, rootfs, v.Mountpoint); err != nil {
				return fmt.Errorf("chowning volume %s: %w", v.Name, err)
			}
		}
	}
	return nil
}

// copyUp copies the image's directory at dst into an empty volume, with
// owners and modes, as Docker does the first time a volume is mounted
// there; a volume with anything in it is left alone.
func copyUp(rootfs, dst, data string) error {
	src, err := securejoin.SecureJoin(rootfs, dst)
	if err != nil {
		return err
	}
	st, err := os.Stat(src)
	if err != nil || !st.IsDir() {
		return nil
	}
	entries, err := os.ReadDir(data)
	if err != nil || len(entries) > 0 {
		return err
	}
	// Unpacked in a chroot at the volume: the image's relative symlinks
	// (busybox's ../bin/busybox) point above the directory, which the
	// plain archiver refuses as a breakout.
	if err := chrootarchive.CopyWithTarAndChown(nil, nil, nil, nil)(src, data); err != nil {
		return err
	}
	logrus.Debugf("copied %s into volume directory %s", dst, data)
	return nil
}

// chownVolume gives the volume's files to the container's user (the U
// option); rootless, the IDs are those of skiff's user namespace.
func chownVolume(c *Container, rootfs, data string) error {
	spec := c.Config.Spec.User
	if spec == "" {
		spec = c.Config.Image.User
	}
	u, err := specgen.ResolveUser(rootfs, spec)
	if err != nil {
		return err
	}
	return filepath.WalkDir(data, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(u.UID), int(u.GID))
	})
}

// ociSpec is the spec the generator sees: volumes become bind mounts of
// their directories.
func ociSpec(c *Container) specgen.SpecGenerator {
	s := c.Config.Spec
	if len(s.Volumes) == 0 {
		return s
	}
	s.Mounts = append(slices.Clone(s.Mounts), s.VolumeBinds()...)
	s.Volumes = nil
	return s
}

// removeAnonymousVolumes removes the anonymous volumes a removed container
// used; one another container still uses (--volumes-from) is kept.
func (r *Runtime) removeAnonymousVolumes(ctx context.Context, c *Container) {
	for _, v := range c.Config.Spec.Volumes {
		if !v.Anonymous {
			continue
		}
		if err := r.removeVolume(ctx, v.Name); err != nil && !errors.Is(err, errdefs.ErrVolumeInUse) && !errors.Is(err, errdefs.ErrNoSuchVolume) {
			logrus.Warnf("removing anonymous volume %s of container %s: %v", v.Name, c.Name, err)
		}
	}
}

// prepareNewVolumes makes the data directories of the volumes a new
// container created (those whose stored creation time is the one given
// here), clearing what a killed rm of an older volume of the same name
// left, so that a new volume never shows stale data.
func (r *Runtime) prepareNewVolumes(ctx context.Context, recs []state.VolumeRecord) error {
	for _, rec := range recs {
		stored, err := r.db.Volume(ctx, rec.Name)
		if err != nil {
			return err
		}
		if !stored.Created.Equal(rec.Created) {
			continue
		}
		if err := r.prepareVolumeDir(rec.Name); err != nil {
			return err
		}
		r.recordVolumeEvent(ctx, rec.Name, "create")
	}
	return nil
}
