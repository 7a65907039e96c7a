package docker

import (
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/storage"
	"github.com/docker/docker/api/types/strslice"
	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// The engine's reports are shaped like Docker's, with skiff's extras; the
// Docker API answers with Docker's own types, so a field Docker has and
// skiff does not fill is a zero value, never a missing key, and skiff's
// extras (ConmonPid, ExitedAt...) stay out of Docker's answers.

// summaryFrom is one row of GET /containers/json.
func summaryFrom(c engine.ListContainer) container.Summary {
	s := container.Summary{
		ID: c.ID, Names: c.Names, Image: c.Image, ImageID: c.ImageID, Command: c.Command,
		Created: c.Created, Ports: make([]container.Port, 0, len(c.Ports)),
		SizeRw: c.SizeRw, SizeRootFs: c.SizeRootFs, Labels: c.Labels,
		State: c.State, Status: c.Status,
		NetworkSettings: &container.NetworkSettingsSummary{Networks: endpointsOrEmpty(c.NetworkSettings.Networks)},
		Mounts:          mountPoints(c.Mounts),
	}
	s.HostConfig.NetworkMode = c.HostConfig.NetworkMode
	for _, p := range c.Ports {
		s.Ports = append(s.Ports, container.Port{IP: p.IP, PrivatePort: p.PrivatePort, PublicPort: p.PublicPort, Type: p.Type})
	}
	return s
}

// inspectFrom is GET /containers/{id}/json's answer.
func inspectFrom(c engine.InspectContainer) container.InspectResponse {
	return container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{
			ID: c.ID, Created: dockerTime(c.Created), Path: c.Path, Args: c.Args,
			State: &container.State{
				Status: c.State.Status, Running: c.State.Running, Paused: c.State.Paused,
				Restarting: c.State.Restarting, OOMKilled: c.State.OOMKilled, Dead: c.State.Dead,
				Pid: c.State.Pid, ExitCode: c.State.ExitCode, Error: c.State.Error,
				StartedAt: dockerTime(c.State.StartedAt), FinishedAt: dockerTime(c.State.FinishedAt),
			},
			Image: c.Image, ResolvConfPath: c.ResolvConfPath, HostnamePath: c.HostnamePath,
			HostsPath: c.HostsPath, LogPath: c.LogPath, Name: c.Name, RestartCount: c.RestartCount,
			Driver: c.Driver, Platform: c.Platform, MountLabel: c.MountLabel, ProcessLabel: c.ProcessLabel,
			AppArmorProfile: c.AppArmorProfile, ExecIDs: c.ExecIDs,
			HostConfig:  hostConfigFrom(c.HostConfig),
			GraphDriver: storage.DriverData{Name: c.GraphDriver.Name, Data: c.GraphDriver.Data},
			SizeRw:      c.SizeRw, SizeRootFs: c.SizeRootFs,
		},
		Mounts:          mountPoints(c.Mounts),
		Config:          configFrom(c.Config),
		NetworkSettings: networkSettingsFrom(c.NetworkSettings),
	}
}

// dockerTime is a time as Docker's inspect writes it (RFC 3339 with
// nanoseconds; the zero time for "never").
func dockerTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

func hostConfigFrom(h engine.HostConfig) *container.HostConfig {
	hc := &container.HostConfig{
		Binds: h.Binds, NetworkMode: container.NetworkMode(h.NetworkMode), AutoRemove: h.AutoRemove,
		Runtime: h.Runtime, Privileged: h.Privileged,
		LogConfig:    container.LogConfig{Type: h.LogConfig.Type, Config: h.LogConfig.Config},
		PortBindings: portMapOrEmpty(h.PortBindings), PublishAllPorts: h.PublishAllPorts,
		DNS: h.DNS, DNSOptions: h.DNSOptions, DNSSearch: h.DNSSearch, ExtraHosts: h.ExtraHosts,
		// skiff restarts nothing: Docker's "no" policy.
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyDisabled},
	}
	setSecurityHostConfig(hc, h.SecurityHostConfig)
	return hc
}

func configFrom(c engine.ContainerConfig) *container.Config {
	cfg := &container.Config{
		Hostname: c.Hostname, Domainname: c.Domainname, User: c.User,
		AttachStdin: c.AttachStdin, AttachStdout: c.AttachStdout, AttachStderr: c.AttachStderr,
		Tty: c.Tty, OpenStdin: c.OpenStdin, StdinOnce: c.StdinOnce, Env: c.Env,
		Cmd: strslice.StrSlice(c.Cmd), Image: c.Image, WorkingDir: c.WorkingDir,
		Entrypoint: strslice.StrSlice(c.Entrypoint), Labels: c.Labels, StopSignal: c.StopSignal,
		ExposedPorts: c.ExposedPorts,
	}
	if c.StopTimeout != nil {
		t := int(*c.StopTimeout)
		cfg.StopTimeout = &t
	}
	return cfg
}

// portMapOrEmpty is {} for no ports, as Docker sends it.
func portMapOrEmpty(m nat.PortMap) nat.PortMap {
	if m == nil {
		return nat.PortMap{}
	}
	return m
}

func networkSettingsFrom(n engine.NetworkSettings) *container.NetworkSettings {
	ns := &container.NetworkSettings{
		NetworkSettingsBase: container.NetworkSettingsBase{SandboxKey: n.SandboxKey, Ports: portMapOrEmpty(n.Ports)},
		Networks:            endpointsOrEmpty(n.Networks),
	}
	// The top-level address fields are the default bridge network's, as
	// Docker fills them (old clients read the address there).
	if ep := ns.Networks["bridge"]; ep != nil {
		ns.DefaultNetworkSettings = container.DefaultNetworkSettings{ //nolint:staticcheck // deprecated, still sent by Docker 28
			EndpointID: ep.EndpointID, Gateway: ep.Gateway, GlobalIPv6Address: ep.GlobalIPv6Address,
			GlobalIPv6PrefixLen: ep.GlobalIPv6PrefixLen, IPAddress: ep.IPAddress, IPPrefixLen: ep.IPPrefixLen,
			IPv6Gateway: ep.IPv6Gateway, MacAddress: ep.MacAddress,
		}
	}
	return ns
}

// endpointsOrEmpty gives every network an endpoint object: Docker never
// sends null for one.
func endpointsOrEmpty(eps map[string]*network.EndpointSettings) map[string]*network.EndpointSettings {
	out := make(map[string]*network.EndpointSettings, len(eps))
	for name, ep := range eps {
		if ep == nil {
			ep = &network.EndpointSettings{}
		}
		out[name] = ep
	}
	return out
}

func mountPoints(ms []engine.MountPoint) []container.MountPoint {
	out := make([]container.MountPoint, 0, len(ms))
	for _, m := range ms {
		out = append(out, container.MountPoint{
			Type: mount.Type(m.Type), Name: m.Name, Source: m.Source, Destination: m.Destination,
			Driver: m.Driver, Mode: m.Mode, RW: m.RW, Propagation: mount.Propagation(m.Propagation),
		})
	}
	return out
}
