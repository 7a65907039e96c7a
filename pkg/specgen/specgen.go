package specgen

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
	// NetworkMode is "none" or "host" (more modes come with networking).
	NetworkMode string `json:"network_mode,omitempty"`
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
