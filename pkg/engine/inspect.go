package engine

import (
	"time"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

// InspectContainer is a container's full description in Docker's
// /containers/{id}/json shape, so `inspect --format` templates written for
// Docker work unchanged.
type InspectContainer struct {
	ID              string            `json:"Id"`
	Created         time.Time         `json:"Created"`
	Path            string            `json:"Path"`
	Args            []string          `json:"Args"`
	State           ContainerState    `json:"State"`
	Image           string            `json:"Image"`
	ResolvConfPath  string            `json:"ResolvConfPath"`
	HostnamePath    string            `json:"HostnamePath"`
	HostsPath       string            `json:"HostsPath"`
	LogPath         string            `json:"LogPath"`
	Name            string            `json:"Name"`
	RestartCount    int               `json:"RestartCount"`
	Driver          string            `json:"Driver"`
	Platform        string            `json:"Platform"`
	MountLabel      string            `json:"MountLabel"`
	ProcessLabel    string            `json:"ProcessLabel"`
	AppArmorProfile string            `json:"AppArmorProfile"`
	ExecIDs         []string          `json:"ExecIDs"`
	HostConfig      HostConfig        `json:"HostConfig"`
	GraphDriver     GraphDriver       `json:"GraphDriver"`
	SizeRw          *int64            `json:"SizeRw,omitempty"`
	SizeRootFs      *int64            `json:"SizeRootFs,omitempty"`
	Mounts          []MountPoint      `json:"Mounts"`
	Config          ContainerConfig   `json:"Config"`
	NetworkSettings NetworkSettings   `json:"NetworkSettings"`
	Labels          map[string]string `json:"-"`
}

// ContainerState is the State block of inspect.
type ContainerState struct {
	Status     string    `json:"Status"`
	Running    bool      `json:"Running"`
	Paused     bool      `json:"Paused"`
	Restarting bool      `json:"Restarting"`
	OOMKilled  bool      `json:"OOMKilled"`
	Dead       bool      `json:"Dead"`
	Pid        int       `json:"Pid"`
	ConmonPid  int       `json:"ConmonPid,omitempty"`
	ExitCode   int       `json:"ExitCode"`
	Error      string    `json:"Error"`
	StartedAt  time.Time `json:"StartedAt"`
	FinishedAt time.Time `json:"FinishedAt"`
}

// HostConfig is the part of Docker's HostConfig skiff supports.
type HostConfig struct {
	Binds       []string `json:"Binds"`
	NetworkMode string   `json:"NetworkMode"`
	AutoRemove  bool     `json:"AutoRemove"`
	Runtime     string   `json:"Runtime"`
	Privileged  bool     `json:"Privileged"`
	// PortBindings are the published ports as asked for ("" host port:
	// picked by the engine); PublishAllPorts is -P.
	PortBindings    nat.PortMap `json:"PortBindings"`
	PublishAllPorts bool        `json:"PublishAllPorts"`
	DNS             []string    `json:"Dns"`
	DNSOptions      []string    `json:"DnsOptions"`
	DNSSearch       []string    `json:"DnsSearch"`
	ExtraHosts      []string    `json:"ExtraHosts"`
	// LogConfig names the log driver; clients skip containers without
	// one when showing logs (docker-compose v1 does).
	LogConfig LogConfig `json:"LogConfig"`
	SecurityHostConfig
}

// LogConfig is Docker's HostConfig.LogConfig.
type LogConfig struct {
	Type   string            `json:"Type"`
	Config map[string]string `json:"Config"`
}

// GraphDriver names the storage driver and its data.
type GraphDriver struct {
	Name string            `json:"Name"`
	Data map[string]string `json:"Data"`
}

// ContainerConfig is Docker's Config block.
type ContainerConfig struct {
	Hostname     string            `json:"Hostname"`
	Domainname   string            `json:"Domainname"`
	User         string            `json:"User"`
	AttachStdin  bool              `json:"AttachStdin"`
	AttachStdout bool              `json:"AttachStdout"`
	AttachStderr bool              `json:"AttachStderr"`
	Tty          bool              `json:"Tty"`
	OpenStdin    bool              `json:"OpenStdin"`
	StdinOnce    bool              `json:"StdinOnce"`
	Env          []string          `json:"Env"`
	Cmd          []string          `json:"Cmd"`
	Image        string            `json:"Image"`
	WorkingDir   string            `json:"WorkingDir"`
	Entrypoint   []string          `json:"Entrypoint"`
	Labels       map[string]string `json:"Labels"`
	StopSignal   string            `json:"StopSignal,omitempty"`
	StopTimeout  *uint             `json:"StopTimeout,omitempty"`
	ExposedPorts nat.PortSet       `json:"ExposedPorts,omitempty"`
}

// NetworkSettings is Docker's NetworkSettings block, on Docker's own types
// so a field Docker has and skiff does not fill is a zero value, never a
// missing key. Ports maps "80/tcp" to its host bindings; Networks holds
// one endpoint per network the container is on (its mode's name for
// host, none, pasta and slirp4netns).
type NetworkSettings struct {
	SandboxKey string                               `json:"SandboxKey"`
	Ports      nat.PortMap                          `json:"Ports"`
	Networks   map[string]*network.EndpointSettings `json:"Networks"`
}
