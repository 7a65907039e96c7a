package dockerinfo

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/system"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// Info shapes skiff's info as Docker's /info at time now. Capabilities
// skiff does not offer through the API yet (limits, swarm, plugins) are
// reported as absent rather than claimed.
func Info(info *engine.Info, now time.Time) system.Info {
	h, s := info.Host, info.Store
	out := system.Info{
		ID:                engineID(s.GraphRoot, s.RunRoot),
		Containers:        s.ContainerCount,
		ContainersRunning: s.Running,
		ContainersPaused:  s.Paused,
		ContainersStopped: s.Stopped,
		Images:            s.ImageCount,
		Driver:            s.GraphDriverName,
		DriverStatus:      driverStatus(s.GraphOptions),
		SystemTime:        now.Format(time.RFC3339Nano),
		LoggingDriver:     h.LogDriver,
		CgroupDriver:      h.CgroupManager,
		CgroupVersion:     strings.TrimPrefix(strings.Fields(h.CgroupVersion + " ")[0], "v"),
		KernelVersion:     h.Kernel,
		OperatingSystem:   h.OS,
		OSType:            "linux",
		Architecture:      machineArch(h.Arch),
		NCPU:              h.CPUs,
		MemTotal:          h.MemTotal,
		DockerRootDir:     s.GraphRoot,
		Name:              h.Hostname,
		Labels:            []string{},
		ServerVersion:     info.Version.Version,
		DefaultRuntime:    h.OCIRuntime.Name,
		Runtimes:          map[string]system.RuntimeWithStatus{},
		SecurityOptions:   securityOptions(h.Security),
		Warnings:          []string{},
	}
	if h.OCIRuntime.Name != "" {
		out.Runtimes[h.OCIRuntime.Name] = system.RuntimeWithStatus{Runtime: system.Runtime{Path: h.OCIRuntime.Path}}
	}
	out.Swarm.LocalNodeState = "inactive"
	return out
}

// Version shapes skiff's version as Docker's, with the OCI runtime and
// conmon as components the way Docker lists runc and containerd. info may
// be nil (nothing known of the host): then the kernel and the programs
// are left out.
func Version(v *engine.Version, info *engine.Info) types.Version {
	osName, arch, _ := strings.Cut(v.OsArch, "/")
	var kernel string
	if info != nil {
		kernel = info.Host.Kernel
	}
	out := types.Version{
		Platform:      struct{ Name string }{Name: "skiff"},
		Version:       v.Version,
		APIVersion:    v.APIVersion,
		MinAPIVersion: v.MinAPIVersion,
		GitCommit:     v.GitCommit,
		GoVersion:     v.GoVersion,
		Os:            osName,
		Arch:          arch,
		KernelVersion: kernel,
		BuildTime:     v.Built,
	}
	out.Components = []types.ComponentVersion{{
		Name: "Engine", Version: v.Version,
		Details: map[string]string{
			"ApiVersion": v.APIVersion, "MinAPIVersion": v.MinAPIVersion, "GitCommit": v.GitCommit,
			"GoVersion": v.GoVersion, "Os": osName, "Arch": arch, "KernelVersion": kernel,
			"BuildTime": v.Built, "Experimental": "false",
		},
	}}
	if info == nil {
		return out
	}
	for _, p := range []engine.Program{info.Host.OCIRuntime, info.Host.Conmon} {
		if p.Name != "" {
			out.Components = append(out.Components, types.ComponentVersion{
				Name: p.Name, Version: p.Version, Details: map[string]string{"Path": p.Path},
			})
		}
	}
	return out
}

// engineID is a stable identifier for one store, in the shape of Docker's
// daemon ID.
func engineID(graphRoot, runRoot string) string {
	sum := sha256.Sum256([]byte(graphRoot + "\x00" + runRoot))
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

func driverStatus(opts map[string]string) [][2]string {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][2]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, [2]string{k, opts[k]})
	}
	return out
}

func securityOptions(sec engine.Security) []string {
	out := []string{}
	if sec.Seccomp {
		out = append(out, "name=seccomp,profile=builtin")
	}
	if sec.Rootless {
		out = append(out, "name=rootless")
	}
	return out
}

// machineArch turns Go's architecture names into uname's, which is what
// Docker reports as Architecture.
func machineArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	}
	return goarch
}
