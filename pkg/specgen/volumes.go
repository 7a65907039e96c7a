package specgen

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/opencontainers/runtime-tools/generate"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// VolumeSpec is the part of a SpecGenerator about volumes, tmpfs mounts
// and the root's writability; SpecGenerator embeds it.
type VolumeSpec struct {
	// Volumes are named and anonymous volumes. The engine names the
	// anonymous ones and fills in each Source when it creates the
	// container, so the stored spec says which volumes it uses.
	Volumes []VolumeMount `json:"volumes,omitempty"`
	// Tmpfs are tmpfs mounts (--tmpfs, --mount type=tmpfs).
	Tmpfs []TmpfsMount `json:"tmpfs,omitempty"`
	// ReadOnlyRoot mounts the root filesystem read-only (--read-only).
	ReadOnlyRoot bool `json:"read_only_root,omitempty"`
	// ReadOnlyTmpfs, with ReadOnlyRoot, puts tmpfs on /tmp, /var/tmp and
	// /run (Podman's --read-only-tmpfs); nil means true, as Podman.
	ReadOnlyTmpfs *bool `json:"read_only_tmpfs,omitempty"`
	// VolumesFrom are containers whose volumes and binds this one
	// mounts too, as "name[:ro|rw]"; the engine resolves them at create.
	VolumesFrom []string `json:"volumes_from,omitempty"`
}

// VolumeMount is a volume mounted in the container.
type VolumeMount struct {
	// Name is the volume's name; empty for an anonymous volume until the
	// engine names it.
	Name        string `json:"name,omitempty"`
	Destination string `json:"destination"`
	// Anonymous marks a volume made for this container (-v /path, an
	// image VOLUME): rm -v and --rm remove it with the container.
	Anonymous bool `json:"anonymous,omitempty"`
	ReadOnly  bool `json:"read_only,omitempty"`
	// Options are nocopy, U, z, Z and a bind propagation mode.
	Options []string `json:"options,omitempty"`
	// VolumeOptions are driver options for a volume the mount creates
	// (--mount volume-opt=K=V).
	VolumeOptions map[string]string `json:"volume_options,omitempty"`
	// Source is the volume's directory on the host, set by the engine.
	Source string `json:"source,omitempty"`
}

// Has reports whether the mount has option o.
func (v VolumeMount) Has(o string) bool { return slices.Contains(v.Options, o) }

// TmpfsMount is a tmpfs mounted in the container.
type TmpfsMount struct {
	Destination string `json:"destination"`
	// Options are mount options (size=, mode=, ro, noexec, ...).
	Options []string `json:"options,omitempty"`
}

// volumeOptionGroups are the options -v accepts for a volume; at most one
// of each group.
var volumeOptionGroups = [][]string{
	{"ro", "rw"},
	{"z", "Z"},
	{"shared", "rshared", "slave", "rslave", "private", "rprivate"},
	{"nocopy"},
	{"U"},
}

// ParseVolumeMount parses a `-v` value that names a volume
// (NAME:/path[:opts]) or makes an anonymous one (/path). ok is false when
// spec is a bind mount, which ParseVolume handles.
func ParseVolumeMount(spec string) (v VolumeMount, ok bool, err error) {
	invalid := func(why string) (VolumeMount, bool, error) {
		return VolumeMount{}, true, fmt.Errorf("invalid volume specification %q: %s: %w", spec, why, errdefs.ErrInvalidArg)
	}
	parts := strings.Split(spec, ":")
	if len(parts) == 1 && spec != "" {
		if !filepath.IsAbs(spec) {
			return invalid("an anonymous volume needs an absolute container path")
		}
		return VolumeMount{Destination: filepath.Clean(spec), Anonymous: true}, true, nil
	}
	if spec == "" || !isVolumeName(parts[0]) {
		return VolumeMount{}, false, nil
	}
	if len(parts) > 3 {
		return invalid("too many colons")
	}
	if err := ValidVolumeName(parts[0]); err != nil {
		return invalid(err.Error())
	}
	if parts[1] == "" || !filepath.IsAbs(parts[1]) {
		return invalid(fmt.Sprintf("container path %q must be absolute", parts[1]))
	}
	v = VolumeMount{Name: parts[0], Destination: filepath.Clean(parts[1])}
	if len(parts) == 3 {
		if err := v.setOptions(strings.Split(parts[2], ",")); err != nil {
			return invalid(err.Error())
		}
	}
	return v, true, nil
}

func (v *VolumeMount) setOptions(opts []string) error {
	seen := map[int]string{}
	for _, o := range opts {
		group := slices.IndexFunc(volumeOptionGroups, func(g []string) bool { return slices.Contains(g, o) })
		if group < 0 {
			return fmt.Errorf("unknown option %q", o)
		}
		if prev, dup := seen[group]; dup {
			return fmt.Errorf("options %q and %q conflict", prev, o)
		}
		seen[group] = o
		switch o {
		case "ro":
			v.ReadOnly = true
		case "rw":
		default:
			v.Options = append(v.Options, o)
		}
	}
	return nil
}

// ValidVolumeName checks a volume name as Docker does: a letter or digit,
// then at least one letter, digit, "_", "." or "-".
func ValidVolumeName(name string) error {
	ok := len(name) >= 2
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("_.-", r)) {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%q includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed", name)
	}
	return nil
}

// ParseTmpfs parses a `--tmpfs` value: /path[:opts], opts comma-separated.
func ParseTmpfs(spec string) (TmpfsMount, error) {
	dst, opts, _ := strings.Cut(spec, ":")
	if !filepath.IsAbs(dst) {
		return TmpfsMount{}, fmt.Errorf("invalid --tmpfs %q: the container path must be absolute: %w", spec, errdefs.ErrInvalidArg)
	}
	t := TmpfsMount{Destination: filepath.Clean(dst)}
	if opts != "" {
		t.Options = strings.Split(opts, ",")
	}
	return t, nil
}

// readOnlyTmpfsDirs are the directories --read-only keeps writable.
var readOnlyTmpfsDirs = []string{"/tmp", "/var/tmp", "/run"}

// tmpfsMounts are the spec's tmpfs mounts, with those --read-only adds
// where nothing else is mounted (taken says where something is).
func (s *SpecGenerator) tmpfsMounts(taken map[string]bool) []specs.Mount {
	var out []specs.Mount
	add := func(dst string, opts []string) {
		o := []string{"rw", "noexec", "nosuid", "nodev"}
		for _, opt := range opts {
			if opt == "ro" || opt == "exec" {
				o = slices.DeleteFunc(o, func(x string) bool { return x == "rw" || x == "no"+opt })
			}
			o = append(o, opt)
		}
		out = append(out, specs.Mount{Destination: dst, Type: "tmpfs", Source: "tmpfs", Options: o})
		taken[dst] = true
	}
	for _, t := range s.Tmpfs {
		add(t.Destination, t.Options)
	}
	if s.ReadOnlyRoot && (s.ReadOnlyTmpfs == nil || *s.ReadOnlyTmpfs) {
		for _, d := range readOnlyTmpfsDirs {
			if !taken[d] {
				add(d, nil)
			}
		}
	}
	return out
}

// setVolumeMounts adds the tmpfs mounts and the read-only root; volumes
// reach the generator as bind mounts of their Source (see VolumeBinds).
func (s *SpecGenerator) setVolumeMounts(g *generate.Generator, taken map[string]bool) []specs.Mount {
	if s.ReadOnlyRoot {
		g.SetRootReadonly(true)
	}
	return s.tmpfsMounts(taken)
}

// VolumeBinds returns the spec's volumes as bind mounts of their Source,
// for the generator: the engine calls it once the sources exist.
func (s *SpecGenerator) VolumeBinds() []Mount {
	var out []Mount
	for _, v := range s.Volumes {
		m := Mount{Source: v.Source, Destination: v.Destination, ReadOnly: v.ReadOnly}
		for _, o := range v.Options {
			if slices.Contains(propagationModes, o) {
				m.Options = append(m.Options, o)
			}
		}
		out = append(out, m)
	}
	return out
}

// validateVolumes refuses two mounts at one place and relative paths.
func (s *SpecGenerator) validateVolumes() error {
	seen := map[string]bool{}
	for _, m := range s.Mounts {
		seen[filepath.Clean(m.Destination)] = true
	}
	check := func(dst string) error {
		if !filepath.IsAbs(dst) {
			return fmt.Errorf("invalid mount destination %q: must be an absolute path: %w", dst, errdefs.ErrInvalidArg)
		}
		if seen[filepath.Clean(dst)] {
			return fmt.Errorf("duplicate mount destination %q: %w", dst, errdefs.ErrInvalidArg)
		}
		seen[filepath.Clean(dst)] = true
		return nil
	}
	for _, v := range s.Volumes {
		if err := check(v.Destination); err != nil {
			return err
		}
		if v.Name != "" {
			if err := ValidVolumeName(v.Name); err != nil {
				return fmt.Errorf("invalid volume name: %v: %w", err, errdefs.ErrInvalidArg)
			}
		}
	}
	for _, t := range s.Tmpfs {
		if err := check(t.Destination); err != nil {
			return err
		}
	}
	return nil
}
