package libpod

import "github.com/skiffcontainers/skiff/pkg/specgen"

// hostOptions says what this host can give a container. Rootless
// containers get no cgroups: runc runs them inside skiff's user namespace
// with an empty cgroupsPath, which on a cgroup v1 host (these machines)
// leaves them in the caller's cgroups. Rootless limits on a cgroup v2
// host with systemd delegation would need runc's systemd cgroup manager,
// which skiff does not drive yet, so they are refused there too rather
// than silently ignored.
func (r *Runtime) hostOptions() specgen.HostOptions {
	return specgen.HostOptions{Rootless: r.cfg.Rootless, CgroupsAvailable: !r.cfg.Rootless}
}
