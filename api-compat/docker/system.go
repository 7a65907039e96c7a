package docker

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/system"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// The API versions reported by /version are the server's, so that they
// equal /_ping's Api-Version: compose v1 compares the two.
const (
	apiVersion    = server.APIVersionMax
	minAPIVersion = server.APIVersionMin
)

func (a *api) version(w http.ResponseWriter, r *http.Request) {
	v, err := a.eng.System().Version(r.Context())
	if err != nil {
		server.WriteError(w, err)
		return
	}
	info, err := a.eng.System().Info(r.Context())
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, dockerVersion(v, info))
}

// dockerVersion shapes skiff's version as Docker's, with the runtime and
// conmon as components the way Docker lists runc and containerd.
func dockerVersion(v *engine.Version, info *engine.Info) types.Version {
	osName, arch, _ := strings.Cut(v.OsArch, "/")
	out := types.Version{
		Platform:      struct{ Name string }{Name: "skiff"},
		Version:       v.Version,
		APIVersion:    apiVersion,
		MinAPIVersion: minAPIVersion,
		GitCommit:     v.GitCommit,
		GoVersion:     v.GoVersion,
		Os:            osName,
		Arch:          arch,
		KernelVersion: info.Host.Kernel,
		BuildTime:     v.Built,
	}
	out.Components = []types.ComponentVersion{{
		Name: "Engine", Version: v.Version,
		Details: map[string]string{
			"ApiVersion": apiVersion, "MinAPIVersion": minAPIVersion, "GitCommit": v.GitCommit,
			"GoVersion": v.GoVersion, "Os": osName, "Arch": arch, "KernelVersion": info.Host.Kernel,
			"BuildTime": v.Built, "Experimental": "false",
		},
	}}
	for _, p := range []engine.Program{info.Host.OCIRuntime, info.Host.Conmon} {
		if p.Name != "" {
			out.Components = append(out.Components, types.ComponentVersion{
				Name: p.Name, Version: p.Version, Details: map[string]string{"Path": p.Path},
			})
		}
	}
	return out
}

func (a *api) info(w http.ResponseWriter, r *http.Request) {
	info, err := a.eng.System().Info(r.Context())
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, dockerInfo(info, time.Now()))
}

// dockerInfo shapes skiff's info as Docker's /info. Capabilities skiff does
// not offer through the API yet (limits, swarm, plugins) are reported as
// absent rather than claimed.
func dockerInfo(info *engine.Info, now time.Time) system.Info {
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
		LoggingDriver:     "k8s-file",
		CgroupDriver:      h.CgroupManager,
		CgroupVersion:     strings.TrimPrefix(h.CgroupVersion, "v"),
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

// events streams events as JSON lines: which recorded ones are replayed
// and how long new ones follow is the engine's rule (Docker's).
func (a *api) events(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	since, err := parseTimestamp("since", q.Get("since"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	until, err := parseTimestamp("until", q.Get("until"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	filters, err := parseFilters(q.Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	opts := engine.EventsOptions{Since: since, Until: until, Filters: filters, Stream: true}
	if err := opts.Validate(); err != nil {
		server.WriteError(w, err)
		return
	}
	out := streamResponse(w, "application/json")
	enc := json.NewEncoder(out)
	err = a.eng.System().Events(r.Context(), opts, func(ev engine.Event) error { return enc.Encode(ev) })
	if err != nil && r.Context().Err() == nil {
		// Headers are gone; Docker ends the stream with the error's text.
		_ = enc.Encode(map[string]string{"message": err.Error()})
	}
}
