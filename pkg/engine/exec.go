package engine

// ExecStartOptions runs a created exec session.
type ExecStartOptions struct {
	Detach      bool          `json:"detach,omitempty"`
	Tty         bool          `json:"tty,omitempty"`
	InitialSize *TerminalSize `json:"initial_size,omitempty"`
	Streams     Streams       `json:"-"`
}

// ExecInspect describes an exec session in Docker's shape.
type ExecInspect struct {
	ID            string            `json:"ID"`
	Running       bool              `json:"Running"`
	ExitCode      *int              `json:"ExitCode"`
	ProcessConfig ExecProcessConfig `json:"ProcessConfig"`
	OpenStdin     bool              `json:"OpenStdin"`
	OpenStderr    bool              `json:"OpenStderr"`
	OpenStdout    bool              `json:"OpenStdout"`
	CanRemove     bool              `json:"CanRemove"`
	ContainerID   string            `json:"ContainerID"`
	DetachKeys    string            `json:"DetachKeys"`
	Pid           int               `json:"Pid"`
}

// ExecProcessConfig is the process of an exec session.
type ExecProcessConfig struct {
	Tty        bool     `json:"tty"`
	Entrypoint string   `json:"entrypoint"`
	Arguments  []string `json:"arguments"`
	Privileged bool     `json:"privileged"`
	User       string   `json:"user,omitempty"`
}

// RenameOptions renames a container.
type RenameOptions struct {
	NewName string `json:"new_name"`
}

// PruneOptions selects stopped containers to remove.
type PruneOptions struct {
	Filters map[string][]string `json:"filters,omitempty"`
}

// PruneReport lists what prune removed.
type PruneReport struct {
	Deleted        []string `json:"ContainersDeleted"`
	SpaceReclaimed uint64   `json:"SpaceReclaimed"`
}

// TagOptions adds a name to an image.
type TagOptions struct {
	Repo string `json:"repo"`
	Tag  string `json:"tag,omitempty"`
}
