package specgen

import "github.com/containers/common/libnetwork/types"

// SpecGenerator describes what a container should be, as the user asked for
// it (CLI flags or an API request). It travels on the wire unchanged and is
// stored with the container; the OCI spec is derived from it at start.
type SpecGenerator struct {
	// Name is the container name; empty means the engine picks one.
	Name string `json:"name,omitempty"`
	// Image is the image reference as the user gave it.
	Image string `json:"image"`
	// Entrypoint overrides the image's entrypoint when non-nil. An empty,
	// non-nil slice clears it (`--entrypoint ""`).
	Entrypoint []string `json:"entrypoint"`
	// Command overrides the image's CMD when non-empty.
	Command []string `json:"command,omitempty"`
	// Env holds KEY=VALUE entries added on top of the image's environment.
	Env []string `json:"env,omitempty"`
	// WorkDir overrides the image's working directory.
	WorkDir string `json:"work_dir,omitempty"`
	// User is user[:group] as names or numbers, resolved inside the rootfs.
	User string `json:"user,omitempty"`
	// Hostname defaults to the first 12 characters of the container ID.
	Hostname string `json:"hostname,omitempty"`
	// Labels are the container's labels (merged over the image's).
	Labels map[string]string `json:"labels,omitempty"`
	// Mounts are bind mounts from the host.
	Mounts []Mount `json:"mounts,omitempty"`
	// VolumeSpec holds volumes, tmpfs mounts and the read-only root.
	VolumeSpec
	// NetworkMode is how the container is networked, as the user wrote it:
	// "" (the configured default: pasta, else slirp4netns, rootless; the
	// default bridge network as root), "none", "host", "pasta[:opts]",
	// "slirp4netns[:opts]", "container:<name|id>", "ns:<path>", "bridge"
	// (the default bridge network) or the name of a user network.
	NetworkMode string `json:"network_mode,omitempty"`
	// Networks are the user networks to join besides (or, for bridge
	// modes, as) NetworkMode, by name, each with its own aliases, static
	// address and MAC address (Docker's NetworkingConfig).
	Networks map[string]NetworkAttachment `json:"networks,omitempty"`
	// PortMappings are the published ports (-p), in containers/common's
	// shape, which the network backends take as they are.
	PortMappings []types.PortMapping `json:"port_mappings,omitempty"`
	// PublishAll publishes every exposed port to a random host port (-P).
	PublishAll bool `json:"publish_all,omitempty"`
	// Expose are ports the container exposes besides the image's, as
	// "port[/proto]" or "start-end[/proto]" (--expose).
	Expose []string `json:"expose,omitempty"`
	// DNSServers, DNSSearch and DNSOptions replace the host's resolv.conf
	// entries of the same kind (--dns, --dns-search, --dns-option).
	DNSServers []string `json:"dns_servers,omitempty"`
	DNSSearch  []string `json:"dns_search,omitempty"`
	DNSOptions []string `json:"dns_options,omitempty"`
	// HostAdd are extra /etc/hosts entries as "name:ip" (--add-host).
	HostAdd []string `json:"host_add,omitempty"`
	// NoHosts leaves the image's /etc/hosts alone (--no-hosts).
	NoHosts bool `json:"no_hosts,omitempty"`
	// MacAddress is the container's MAC address on a bridge network.
	MacAddress string `json:"mac_address,omitempty"`
	// Terminal allocates a pseudo-terminal for the main process.
	Terminal bool `json:"terminal,omitempty"`
	// ConsoleSize is the terminal's size when the process starts, for
	// callers that create a container before they attach to it (Docker's
	// HostConfig.ConsoleSize); a size given at start wins.
	ConsoleSize *ConsoleSize `json:"console_size,omitempty"`
	// Stdin keeps the main process's stdin open.
	Stdin bool `json:"stdin,omitempty"`
	// Remove deletes the container when its main process exits.
	Remove bool `json:"remove,omitempty"`
	// StopSignal is the signal name or number `stop` sends first.
	StopSignal string `json:"stop_signal,omitempty"`
	// StopTimeout is seconds to wait after StopSignal before SIGKILL.
	StopTimeout *uint `json:"stop_timeout,omitempty"`
	// Pull is the pull policy: missing, never, always, newer.
	Pull string `json:"pull,omitempty"`

	// Confinement, resource limits and host access (security.go,
	// resources.go, isolation.go); their fields sit at the top level.
	SecurityConfig
	ResourceConfig
	IsolationConfig
}

// Mount is a bind mount from the host into the container.
type Mount struct {
	Source      string   `json:"source"`
	Destination string   `json:"destination"`
	ReadOnly    bool     `json:"read_only,omitempty"`
	Options     []string `json:"options,omitempty"`
}

// ConsoleSize is a terminal's size in characters.
type ConsoleSize struct {
	Height uint `json:"height"`
	Width  uint `json:"width"`
}

// NetworkAttachment is how a container joins one user network.
type NetworkAttachment struct {
	// Aliases are extra DNS names of the container on that network.
	Aliases []string `json:"aliases,omitempty"`
	// StaticIPs are addresses asked for (--ip); empty means allocated.
	StaticIPs []string `json:"static_ips,omitempty"`
	// StaticMAC is the interface's MAC address (--mac-address).
	StaticMAC string `json:"static_mac,omitempty"`
}
