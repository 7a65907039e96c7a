package engine

import (
	"io"
	"strconv"
	"syscall"
	"time"

	"github.com/docker/docker/api/types/network"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// TerminalSize is a terminal's height and width in characters.
type TerminalSize struct {
	Height uint16 `json:"h"`
	Width  uint16 `json:"w"`
}

// Streams are the caller's end of a container's stdio. They never go on the
// wire: the remote implementation carries them over a hijacked connection.
type Streams struct {
	Stdin  io.Reader `json:"-"`
	Stdout io.Writer `json:"-"`
	Stderr io.Writer `json:"-"`
	// Resize delivers terminal size changes while attached to a TTY.
	Resize <-chan TerminalSize `json:"-"`
	// Signals carries signals the caller received, to forward to the
	// container's process (Docker's --sig-proxy for attached runs).
	Signals <-chan syscall.Signal `json:"-"`
}

// CreateOptions creates a container from a spec generator.
type CreateOptions struct {
	Spec specgen.SpecGenerator `json:"spec"`
}

// CreateReport names the container that was created.
type CreateReport struct {
	ID       string   `json:"Id"`
	Warnings []string `json:"Warnings"`
}

// RunOptions runs a container: create, start, and unless Detach, attach and
// wait for it.
type RunOptions struct {
	Spec       specgen.SpecGenerator `json:"spec"`
	Detach     bool                  `json:"detach,omitempty"`
	DetachKeys *string               `json:"detach_keys,omitempty"`
	// InitialSize is the terminal size to apply right after start.
	InitialSize *TerminalSize `json:"initial_size,omitempty"`
	Streams     Streams       `json:"-"`
}

// RunReport says what happened to the container.
type RunReport struct {
	ID       string `json:"Id"`
	ExitCode int    `json:"ExitCode"`
	// Detached is true when the user detached with the detach keys.
	Detached bool `json:"Detached,omitempty"`
}

// ActionReport is one container's result of a bulk action.
type ActionReport struct {
	ID       string `json:"Id"`
	RawInput string `json:"RawInput"`
	Err      error  `json:"-"`
	// ErrMessage carries Err on the wire.
	ErrMessage string `json:"Err,omitempty"`
}

// StartOptions starts created or exited containers.
type StartOptions struct {
	Attach      bool          `json:"attach,omitempty"`
	Interactive bool          `json:"interactive,omitempty"`
	DetachKeys  *string       `json:"detach_keys,omitempty"`
	InitialSize *TerminalSize `json:"initial_size,omitempty"`
	Streams     Streams       `json:"-"`
}

// StopOptions stops running containers.
type StopOptions struct {
	// Timeout is seconds before SIGKILL; nil means the container's own.
	Timeout *uint `json:"timeout,omitempty"`
	All     bool  `json:"all,omitempty"`
}

// KillOptions sends a signal to running containers.
type KillOptions struct {
	Signal string `json:"signal,omitempty"`
	All    bool   `json:"all,omitempty"`
}

// PauseOptions freezes running containers.
type PauseOptions struct {
	// All pauses every running container.
	All bool `json:"all,omitempty"`
}

// UnpauseOptions thaws paused containers.
type UnpauseOptions struct {
	// All unpauses every paused container.
	All bool `json:"all,omitempty"`
}

// RestartOptions restarts containers.
type RestartOptions struct {
	Timeout *uint `json:"timeout,omitempty"`
	All     bool  `json:"all,omitempty"`
}

// RemoveOptions removes containers.
type RemoveOptions struct {
	// Force kills a running container first. It does not excuse a missing
	// one: Docker's daemon answers that with 404 whatever force says, and
	// its CLI chooses to ignore it (the CLI sets Ignore for that).
	Force   bool `json:"force,omitempty"`
	All     bool `json:"all,omitempty"`
	Volumes bool `json:"volumes,omitempty"`
	// Ignore drops missing containers: they get no report at all, so the
	// CLI prints neither a name nor an error for them.
	Ignore bool `json:"ignore,omitempty"`
	// Timeout is seconds to wait on stop before SIGKILL when forcing.
	Timeout *uint `json:"timeout,omitempty"`
}

// ListOptions selects containers for ps, as Docker's GET /containers/json
// does: without All, Last or a status filter only running (and paused)
// containers, whatever other filters say. Filters are Docker's ps filters.
type ListOptions struct {
	All     bool                `json:"all,omitempty"`
	Last    int                 `json:"last,omitempty"`
	Latest  bool                `json:"latest,omitempty"`
	Size    bool                `json:"size,omitempty"`
	Filters map[string][]string `json:"filters,omitempty"`
}

// Port is a published port, in Docker's shape.
type Port struct {
	IP          string `json:"IP,omitempty"`
	PrivatePort uint16 `json:"PrivatePort"`
	PublicPort  uint16 `json:"PublicPort,omitempty"`
	Type        string `json:"Type"`
}

// MountPoint is a mount as inspect and ps report it, in Docker's shape.
type MountPoint struct {
	Type string `json:"Type"`
	// Name and Driver are a volume's.
	Name        string `json:"Name,omitempty"`
	Source      string `json:"Source"`
	Destination string `json:"Destination"`
	Driver      string `json:"Driver,omitempty"`
	Mode        string `json:"Mode"`
	RW          bool   `json:"RW"`
	Propagation string `json:"Propagation"`
}

// ListContainer is one row of ps, shaped like Docker's /containers/json
// with skiff's extra fields after it.
type ListContainer struct {
	ID         string            `json:"Id"`
	Names      []string          `json:"Names"`
	Image      string            `json:"Image"`
	ImageID    string            `json:"ImageID"`
	Command    string            `json:"Command"`
	Created    int64             `json:"Created"`
	Ports      []Port            `json:"Ports"`
	SizeRw     int64             `json:"SizeRw,omitempty"`
	SizeRootFs int64             `json:"SizeRootFs,omitempty"`
	Labels     map[string]string `json:"Labels"`
	State      string            `json:"State"`
	Status     string            `json:"Status"`
	HostConfig struct {
		NetworkMode string `json:"NetworkMode"`
	} `json:"HostConfig"`
	// NetworkSettings names the networks the container is on, which
	// `docker ps` shows: the network mode's one.
	NetworkSettings struct {
		Networks map[string]*network.EndpointSettings `json:"Networks"`
	} `json:"NetworkSettings"`
	Mounts []MountPoint `json:"Mounts"`

	ExitCode  int       `json:"ExitCode"`
	Pid       int       `json:"Pid"`
	StartedAt time.Time `json:"StartedAt"`
	ExitedAt  time.Time `json:"ExitedAt"`
	// CreatedAt is Created as a time, for templates.
	CreatedAt time.Time `json:"CreatedAt"`
}

// LogsOptions selects and streams a container's logs.
type LogsOptions struct {
	Follow bool `json:"follow,omitempty"`
	// Tail is the number of lines from the end to show; negative: all.
	Tail       int       `json:"tail"`
	Timestamps bool      `json:"timestamps,omitempty"`
	Since      time.Time `json:"since,omitempty"`
	Until      time.Time `json:"until,omitempty"`
	Streams    Streams   `json:"-"`
}

// TailLines reads a tail value as Docker does, for `logs --tail` and the
// API's tail parameter alike: a number of lines, and anything else ("all",
// a negative number, a word) means all of them, never an error.
func TailLines(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// ExecOptions runs a process inside a running container.
type ExecOptions struct {
	Cmd         []string      `json:"cmd"`
	Env         []string      `json:"env,omitempty"`
	User        string        `json:"user,omitempty"`
	WorkDir     string        `json:"work_dir,omitempty"`
	Tty         bool          `json:"tty,omitempty"`
	Interactive bool          `json:"interactive,omitempty"`
	Detach      bool          `json:"detach,omitempty"`
	DetachKeys  *string       `json:"detach_keys,omitempty"`
	Privileged  bool          `json:"privileged,omitempty"`
	InitialSize *TerminalSize `json:"initial_size,omitempty"`
	Streams     Streams       `json:"-"`
}

// ExecReport is the result of an exec.
type ExecReport struct {
	ExitCode int `json:"ExitCode"`
	Pid      int `json:"Pid,omitempty"`
}

// AttachOptions attaches to a running container's main process.
type AttachOptions struct {
	DetachKeys *string `json:"detach_keys,omitempty"`
	NoStdin    bool    `json:"no_stdin,omitempty"`
	Streams    Streams `json:"-"`
	// Ready, when set, is called once the attach is in place and no
	// output can be missed any more (an API server answers then).
	Ready func() `json:"-"`
}

// WaitOptions waits for containers to reach a condition.
type WaitOptions struct {
	// Condition is Docker's: "not-running" (default), "next-exit", "removed".
	Condition string        `json:"condition,omitempty"`
	Interval  time.Duration `json:"interval,omitempty"`
}

// WaitReport is one container's exit code.
type WaitReport struct {
	ID       string `json:"Id"`
	RawInput string `json:"RawInput"`
	ExitCode int    `json:"ExitCode"`
	Err      error  `json:"-"`
}

// InspectOptions selects what inspect adds.
type InspectOptions struct {
	Size bool `json:"size,omitempty"`
}

// CleanupOptions tells Cleanup what to do after the exit.
type CleanupOptions struct {
	Remove bool `json:"remove,omitempty"`
}
