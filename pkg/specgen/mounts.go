package specgen

import (
	"fmt"
	"path/filepath"
	"slices"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/opencontainers/runtime-tools/generate"
	"golang.org/x/sys/unix"
)

// cgroupMount is Docker's read-only view of the container's cgroups.
var cgroupMount = specs.Mount{
	Destination: "/sys/fs/cgroup",
	Type:        "cgroup",
	Source:      "cgroup",
	Options:     []string{"ro", "nosuid", "noexec", "nodev"},
}

// hostSysMount replaces sysfs when the container shares the host's network
// namespace rootless: sysfs may only be mounted by the owner of the network
// namespace, so the host's /sys is bound read-only instead.
var hostSysMount = specs.Mount{
	Destination: "/sys",
	Type:        "bind",
	Source:      "/sys",
	Options:     []string{"rbind", "ro", "nosuid", "noexec", "nodev"},
}

// propagationModes are the bind propagation options a user may pick.
var propagationModes = []string{"shared", "rshared", "slave", "rslave", "private", "rprivate"}

func (s *SpecGenerator) setMounts(g *generate.Generator, opts GenerateOptions) error {
	mounts := g.Mounts()
	// sysfs can only be mounted in a network namespace owned by skiff's
	// user namespace: the host's, or one given by path, may not be.
	if kind := s.networkKind(); (kind == NetworkHost || kind == NetworkNS) && opts.Rootless {
		for i := range mounts {
			if mounts[i].Destination == "/sys" {
				mounts[i] = cloneMount(hostSysMount)
			}
		}
	}
	mounts = append(mounts, cloneMount(cgroupMount))

	user := make(map[string]bool, len(s.Mounts))
	var binds []specs.Mount
	for _, m := range s.Mounts {
		bind, err := bindMount(m, opts.Rootless)
		if err != nil {
			return err
		}
		user[bind.Destination] = true
		binds = append(binds, bind)
	}
	tmpfs := s.setVolumeMounts(g, user)
	// A user mount replaces a default mount at the same place, as in Docker.
	mounts = slices.DeleteFunc(mounts, func(m specs.Mount) bool { return user[m.Destination] })
	mounts = append(mounts, binds...)
	mounts = append(mounts, tmpfs...)

	for _, f := range []struct{ src, dst string }{
		{opts.HostsFile, "/etc/hosts"},
		{opts.ResolvConf, "/etc/resolv.conf"},
		{opts.HostnameFile, "/etc/hostname"},
	} {
		if f.src == "" || user[f.dst] {
			continue
		}
		mounts = append(mounts, specs.Mount{
			Destination: f.dst,
			Type:        "bind",
			Source:      f.src,
			Options:     []string{"bind", "rprivate"},
		})
	}
	g.Config.Mounts = mounts
	return nil
}

// bindMount turns a user bind mount into an OCI mount: recursive unless
// "bind" is asked for, read-only or read-write, rprivate unless another
// propagation is asked for, nosuid and nodev unless suid or dev is asked
// for. z, Z and nocopy have no effect yet (no SELinux, no volumes).
func bindMount(m Mount, rootless bool) (specs.Mount, error) {
	has := func(o string) bool { return slices.Contains(m.Options, o) }
	mode := "rbind"
	if has("bind") {
		mode = "bind"
	}
	ro := m.ReadOnly || has("ro")
	opts := []string{mode}
	if ro {
		opts = append(opts, "ro")
	} else {
		opts = append(opts, "rw")
	}
	propagation := "rprivate"
	for _, p := range propagationModes {
		if has(p) {
			propagation = p
		}
	}
	opts = append(opts, propagation)
	for _, pair := range [][2]string{{"suid", "nosuid"}, {"dev", "nodev"}} {
		if has(pair[0]) {
			opts = append(opts, pair[0])
		} else {
			opts = append(opts, pair[1])
		}
	}
	if has("noexec") {
		opts = append(opts, "noexec")
	} else if has("exec") {
		opts = append(opts, "exec")
	}
	if rootless {
		locked, err := lockedMountFlags(m.Source)
		if err != nil {
			return specs.Mount{}, err
		}
		opts = mergeLocked(opts, locked)
	}
	return specs.Mount{
		Destination: filepath.Clean(m.Destination),
		Type:        "bind",
		Source:      filepath.Clean(m.Source),
		Options:     opts,
	}, nil
}

// lockedMountFlags returns the flags of the mount holding path that a user
// namespace cannot clear (CL_UNPRIVILEGED locks them). runc remounts a bind
// with the flags asked for, so leaving one out would fail with EPERM; Docker
// adds them the same way.
func lockedMountFlags(path string) ([]string, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return nil, fmt.Errorf("reading mount flags of %s: %w", path, err)
	}
	flags := []struct {
		mask uint64
		name string
	}{
		{unix.MS_RDONLY, "ro"},
		{unix.MS_NODEV, "nodev"},
		{unix.MS_NOEXEC, "noexec"},
		{unix.MS_NOSUID, "nosuid"},
		{unix.MS_NOATIME, "noatime"},
		{unix.MS_RELATIME, "relatime"},
		{unix.MS_NODIRATIME, "nodiratime"},
	}
	var out []string
	for _, f := range flags {
		if uint64(st.Flags)&f.mask == f.mask {
			out = append(out, f.name)
		}
	}
	return out, nil
}

// mergeLocked adds locked flags to opts, replacing the options that would
// clear them.
func mergeLocked(opts, locked []string) []string {
	opposite := map[string]string{"ro": "rw", "nodev": "dev", "noexec": "exec", "nosuid": "suid"}
	for _, l := range locked {
		if o, ok := opposite[l]; ok {
			opts = slices.DeleteFunc(opts, func(s string) bool { return s == o })
		}
		if !slices.Contains(opts, l) {
			opts = append(opts, l)
		}
	}
	return opts
}

func cloneMount(m specs.Mount) specs.Mount {
	m.Options = slices.Clone(m.Options)
	return m
}
