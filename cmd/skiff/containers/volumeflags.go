package containers

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// storageFlags are the volume, tmpfs and read-only flags create and run
// share (-v and --mount are specFlags', parsed here).
type storageFlags struct {
	tmpfs         []string
	readOnly      bool
	readOnlyTmpfs bool
	volumesFrom   []string
}

func (f *storageFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.tmpfs, "tmpfs", nil, "mount a tmpfs (CONTAINER-PATH[:OPTIONS], e.g. /run:size=64m)")
	fs.BoolVar(&f.readOnly, "read-only", false, "mount the container's root filesystem read-only")
	fs.BoolVar(&f.readOnlyTmpfs, "read-only-tmpfs", true, "with --read-only, mount tmpfs on /tmp, /var/tmp and /run")
	fs.StringArrayVar(&f.volumesFrom, "volumes-from", nil, "mount the volumes of a container (CONTAINER[:ro|rw])")
}

// storageFlagNames are the flags' names, for the help's Storage section.
var storageFlagNames = []string{"volume", "mount", "tmpfs", "read-only", "read-only-tmpfs", "volumes-from"}

// apply puts -v, --mount and the storage flags into s: -v NAME:/path is a
// named volume, -v /path an anonymous one, anything else a bind mount.
func (f *storageFlags) apply(fs *pflag.FlagSet, s *specgen.SpecGenerator, volumes, mounts []string) error {
	for _, v := range volumes {
		vol, ok, err := specgen.ParseVolumeMount(v)
		if err != nil {
			return err
		}
		if ok {
			s.Volumes = append(s.Volumes, vol)
			continue
		}
		if host, rest, ok := strings.Cut(v, ":"); ok {
			v = absSource(host) + ":" + rest
		}
		m, err := specgen.ParseVolume(v)
		if err != nil {
			return err
		}
		s.Mounts = append(s.Mounts, m)
	}
	for _, v := range mounts {
		m, err := specgen.ParseAnyMount(v)
		if err != nil {
			return err
		}
		switch {
		case m.Bind != nil:
			m.Bind.Source = absSource(m.Bind.Source)
			s.Mounts = append(s.Mounts, *m.Bind)
		case m.Volume != nil:
			s.Volumes = append(s.Volumes, *m.Volume)
		case m.Tmpfs != nil:
			s.Tmpfs = append(s.Tmpfs, *m.Tmpfs)
		}
	}
	for _, t := range f.tmpfs {
		tm, err := specgen.ParseTmpfs(t)
		if err != nil {
			return err
		}
		s.Tmpfs = append(s.Tmpfs, tm)
	}
	s.ReadOnlyRoot = f.readOnly
	if fs.Changed("read-only-tmpfs") {
		ro := f.readOnlyTmpfs
		s.ReadOnlyTmpfs = &ro
	}
	s.VolumesFrom = f.volumesFrom
	return nil
}
