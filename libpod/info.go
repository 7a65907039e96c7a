package libpod

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/skiffcontainers/skiff/libpod/network"
	"github.com/skiffcontainers/skiff/pkg/specgen"

	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/libpod/logs"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// DriverName is the storage driver in use, opening storage if needed.
func (r *Runtime) DriverName() string {
	store, err := r.Store()
	if err != nil {
		return ""
	}
	return store.GraphDriverName()
}

// RuntimeName is the OCI runtime in use.
func (r *Runtime) RuntimeName() string {
	rt, err := r.OCI(context.Background())
	if err != nil {
		return ""
	}
	return rt.Name
}

// Sizes returns the container's writable layer size and its total size.
func (r *Runtime) Sizes(c *Container) (int64, int64) {
	store, err := r.Store()
	if err != nil {
		return 0, 0
	}
	rw, _ := store.ContainerSize(c.ID)
	img, _ := store.ImageSize(c.Config.ImageID)
	return rw, rw + img
}

// HostInfo fills in what skiff knows of the host and its own set-up.
func (r *Runtime) HostInfo(ctx context.Context) (*engine.Info, error) {
	store, err := r.Store()
	if err != nil {
		return nil, err
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return nil, err
	}
	var uts unix.Utsname
	unix.Uname(&uts)
	hostname, _ := os.Hostname()
	info := &engine.Info{}
	h := &info.Host
	h.Arch, h.OS, h.Hostname = runtime.GOARCH, runtime.GOOS, hostname
	h.Kernel = unix.ByteSliceToString(uts.Release[:])
	h.CgroupVersion, h.CgroupsUsable = cgroupMode(r.cfg.Rootless)
	h.CgroupManager = "cgroupfs"
	h.OCIRuntime = engine.Program{Name: rt.Name, Path: rt.Path, Version: programVersion(ctx, rt.Path)}
	h.Conmon = engine.Program{Name: "conmon", Path: rt.ConmonPath}
	h.Rootless = r.cfg.Rootless
	// Every container gets Docker's default seccomp profile unless it opts out.
	h.Security = engine.Security{Rootless: r.cfg.Rootless, Seccomp: true}
	h.SignaturePolicy = r.cfg.Policies().Resolve().String()
	h.LogDriver = logs.Driver
	h.CPUs = runtime.NumCPU()
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) == nil {
		h.MemTotal = int64(si.Totalram) * int64(si.Unit)
	}
	h.Network = r.networkInfo(ctx)
	h.IDMappings = engine.IDMappings{UIDMap: readIDMap("/proc/self/uid_map"), GIDMap: readIDMap("/proc/self/gid_map")}
	s := &info.Store
	s.GraphDriverName, s.GraphRoot, s.RunRoot = store.GraphDriverName(), r.cfg.GraphRoot, r.cfg.RunRoot
	s.DatabasePath = r.cfg.DatabasePath()
	s.GraphOptions = map[string]string{}
	for _, o := range store.GraphOptions() {
		k, v, _ := strings.Cut(o, "=")
		s.GraphOptions[k] = v
	}
	if imgs, err := store.Images(); err == nil {
		s.ImageCount = len(imgs)
	}
	ctrs, err := r.Containers(ctx)
	if err != nil {
		return nil, err
	}
	s.ContainerCount = len(ctrs)
	for _, c := range ctrs {
		switch c.State.Status {
		case StatusRunning:
			s.Running++
		case StatusPaused:
			s.Paused++
		default:
			s.Stopped++
		}
	}
	return info, nil
}

// cgroupMode names the host's cgroup layout and whether this user can set
// resource limits in it: on v1 or hybrid hosts a rootless user cannot.
func cgroupMode(rootless bool) (string, bool) {
	var st unix.Statfs_t
	if unix.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return "v2", !rootless
	}
	if unix.Statfs("/sys/fs/cgroup/unified", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return "v1 (hybrid)", !rootless
	}
	return "v1", !rootless
}

func readIDMap(path string) []engine.IDMap {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []engine.IDMap
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m engine.IDMap
		if n, _ := fmt.Sscan(line, &m.ContainerID, &m.HostID, &m.Size); n == 3 {
			out = append(out, m)
		}
	}
	return out
}

// programVersion is the first line a program prints for --version.
func programVersion(ctx context.Context, path string) string {
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

// networkInfo describes the network backend and the default mode's
// helper, naming what is missing instead of failing info.
func (r *Runtime) networkInfo(ctx context.Context) engine.NetworkInfo {
	ni := engine.NetworkInfo{Backend: "netavark", BackendInfo: engine.Program{Name: "netavark"}}
	if p, err := network.FindHelper("netavark", "netavark"); err == nil {
		ni.BackendInfo.Path, ni.BackendInfo.Version = p, programVersion(ctx, p)
	} else {
		ni.BackendInfo.Version = err.Error()
	}
	mode, err := r.defaultNetworkMode()
	if err != nil {
		ni.DefaultMode = err.Error()
		return ni
	}
	ni.DefaultMode = mode
	m, _ := specgen.ParseNetworkMode(mode)
	switch m.Kind {
	case specgen.NetworkPasta, specgen.NetworkSlirp:
		ni.RootlessNetworkCmd = m.Kind
		pkg := map[string]string{specgen.NetworkPasta: "passt", specgen.NetworkSlirp: "slirp4netns"}[m.Kind]
		ni.RootlessNetworkBin = engine.Program{Name: m.Kind}
		if p, err := network.FindHelper(m.Kind, pkg); err == nil {
			ni.RootlessNetworkBin.Path, ni.RootlessNetworkBin.Version = p, programVersion(ctx, p)
		}
		ni.PortForwarder = map[string]string{specgen.NetworkPasta: "pasta", specgen.NetworkSlirp: "slirp4netns (its API; loses the client's source address)"}[m.Kind]
	case specgen.NetworkBridge:
		ni.PortForwarder = "netavark (firewall rules)"
	default:
		ni.PortForwarder = "none"
	}
	return ni
}
