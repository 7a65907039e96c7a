package docker

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// storageFromCreate turns a create's Binds, Mounts, Config.Volumes, Tmpfs,
// ReadonlyRootfs and VolumesFrom into skiff's bind mounts and volume spec.
// A bind or mount at a Config.Volumes path replaces the anonymous volume
// there, as in Docker.
func storageFromCreate(cfg *container.Config, hc *container.HostConfig) ([]specgen.Mount, specgen.VolumeSpec, error) {
	var binds []specgen.Mount
	vs := specgen.VolumeSpec{ReadOnlyRoot: hc.ReadonlyRootfs, VolumesFrom: hc.VolumesFrom}
	if hc.ReadonlyRootfs {
		// Docker's read-only root has no tmpfs of its own (Podman's has).
		noTmpfs := false
		vs.ReadOnlyTmpfs = &noTmpfs
	}
	for _, b := range hc.Binds {
		v, ok, err := specgen.ParseVolumeMount(b)
		if err != nil {
			return nil, vs, fmt.Errorf("HostConfig.Binds: %w", err)
		}
		if ok {
			vs.Volumes = append(vs.Volumes, v)
			continue
		}
		m, err := specgen.ParseVolume(b)
		if err != nil {
			return nil, vs, fmt.Errorf("HostConfig.Binds: %w", err)
		}
		binds = append(binds, m)
	}
	for i, m := range hc.Mounts {
		if err := addMount(i, m, &binds, &vs); err != nil {
			return nil, vs, err
		}
	}
	dsts := make([]string, 0, len(hc.Tmpfs))
	for dst := range hc.Tmpfs {
		dsts = append(dsts, dst)
	}
	sort.Strings(dsts)
	for _, dst := range dsts {
		spec := dst
		if opts := hc.Tmpfs[dst]; opts != "" {
			spec += ":" + opts
		}
		t, err := specgen.ParseTmpfs(spec)
		if err != nil {
			return nil, vs, fmt.Errorf("HostConfig.Tmpfs: %w", err)
		}
		vs.Tmpfs = append(vs.Tmpfs, t)
	}
	taken := map[string]bool{}
	for _, m := range binds {
		taken[filepath.Clean(m.Destination)] = true
	}
	for _, v := range vs.Volumes {
		taken[v.Destination] = true
	}
	for _, t := range vs.Tmpfs {
		taken[t.Destination] = true
	}
	anon := make([]string, 0, len(cfg.Volumes))
	for dst := range cfg.Volumes {
		anon = append(anon, dst)
	}
	sort.Strings(anon)
	for _, dst := range anon {
		if !filepath.IsAbs(dst) {
			return nil, vs, invalid("Config.Volumes: %q is not an absolute path", dst)
		}
		if !taken[filepath.Clean(dst)] {
			vs.Volumes = append(vs.Volumes, specgen.VolumeMount{Destination: filepath.Clean(dst), Anonymous: true})
		}
	}
	return binds, vs, nil
}

// addMount adds one HostConfig.Mounts entry: a bind, a volume (named, or
// anonymous without a source) or a tmpfs.
func addMount(i int, m mount.Mount, binds *[]specgen.Mount, vs *specgen.VolumeSpec) error {
	field := fmt.Sprintf("HostConfig.Mounts[%d]", i)
	if m.ImageOptions != nil || m.ClusterOptions != nil {
		return invalid("%s: image and cluster options are not supported", field)
	}
	switch m.Type {
	case mount.TypeBind:
		if m.VolumeOptions != nil || m.TmpfsOptions != nil {
			return invalid("%s: options of another mount type given for a bind mount", field)
		}
		sm := specgen.Mount{Source: m.Source, Destination: m.Target, ReadOnly: m.ReadOnly}
		if bo := m.BindOptions; bo != nil {
			if bo.NonRecursive || bo.CreateMountpoint || bo.ReadOnlyNonRecursive || bo.ReadOnlyForceRecursive {
				return invalid("%s.BindOptions: only Propagation is supported yet", field)
			}
			if bo.Propagation != "" {
				sm.Options = append(sm.Options, string(bo.Propagation))
			}
		}
		*binds = append(*binds, sm)
	case mount.TypeVolume:
		if m.BindOptions != nil || m.TmpfsOptions != nil {
			return invalid("%s: options of another mount type given for a volume mount", field)
		}
		if !filepath.IsAbs(m.Target) {
			return invalid("%s.Target %q must be an absolute path", field, m.Target)
		}
		v := specgen.VolumeMount{Name: m.Source, Destination: filepath.Clean(m.Target), ReadOnly: m.ReadOnly, Anonymous: m.Source == ""}
		if vo := m.VolumeOptions; vo != nil {
			if vo.Subpath != "" {
				return invalid("%s.VolumeOptions.Subpath is not supported yet", field)
			}
			if vo.NoCopy {
				v.Options = append(v.Options, "nocopy")
			}
			if dc := vo.DriverConfig; dc != nil {
				if dc.Name != "" && dc.Name != "local" {
					return invalid("%s: volume driver %q is not supported: only local is", field, dc.Name)
				}
				v.VolumeOptions = dc.Options
			}
		}
		vs.Volumes = append(vs.Volumes, v)
	case mount.TypeTmpfs:
		if m.BindOptions != nil || m.VolumeOptions != nil || m.Source != "" {
			return invalid("%s: a tmpfs mount takes no source and no bind or volume options", field)
		}
		t := specgen.TmpfsMount{Destination: m.Target}
		if to := m.TmpfsOptions; to != nil {
			if to.SizeBytes > 0 {
				t.Options = append(t.Options, fmt.Sprintf("size=%d", to.SizeBytes))
			}
			if to.Mode != 0 {
				mode := uint32(to.Mode.Perm())
				if to.Mode&os.ModeSticky != 0 {
					mode |= 0o1000
				}
				t.Options = append(t.Options, fmt.Sprintf("mode=%o", mode))
			}
			for _, kv := range to.Options {
				t.Options = append(t.Options, strings.Join(kv, "="))
			}
		}
		if m.ReadOnly {
			t.Options = append(t.Options, "ro")
		}
		vs.Tmpfs = append(vs.Tmpfs, t)
	default:
		return invalid("%s.Type %q is not supported: want bind, volume or tmpfs", field, m.Type)
	}
	return nil
}
