package engine

import (
	"context"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Engine is what every skiff command talks to. The local implementation
// drives libpod in process; the remote one speaks skiff's API. Both are
// handed the same option structs and return the same reports.
type Engine interface {
	Containers() ContainerEngine
	Images() ImageEngine
	Networks() NetworkEngine
	Volumes() VolumeEngine
	System() SystemEngine
	// Shutdown releases what the engine holds (database, store).
	Shutdown(ctx context.Context) error
}

// ContainerEngine holds the operations on containers.
type ContainerEngine interface {
	Create(ctx context.Context, opts CreateOptions) (*CreateReport, error)
	// Run creates, starts and (unless detached) attaches to and waits for a
	// container, removing it afterwards when asked.
	Run(ctx context.Context, opts RunOptions) (*RunReport, error)
	Start(ctx context.Context, names []string, opts StartOptions) ([]ActionReport, error)
	Stop(ctx context.Context, names []string, opts StopOptions) ([]ActionReport, error)
	Kill(ctx context.Context, names []string, opts KillOptions) ([]ActionReport, error)
	// Pause freezes every process of running containers; Unpause thaws
	// paused ones. Where the host cannot freeze a container (rootless on
	// cgroup v1) Pause fails with an error of class not-implemented.
	Pause(ctx context.Context, names []string, opts PauseOptions) ([]ActionReport, error)
	Unpause(ctx context.Context, names []string, opts UnpauseOptions) ([]ActionReport, error)
	Restart(ctx context.Context, names []string, opts RestartOptions) ([]ActionReport, error)
	Remove(ctx context.Context, names []string, opts RemoveOptions) ([]ActionReport, error)
	List(ctx context.Context, opts ListOptions) ([]ListContainer, error)
	Logs(ctx context.Context, name string, opts LogsOptions) error
	Exec(ctx context.Context, name string, opts ExecOptions) (*ExecReport, error)
	Attach(ctx context.Context, name string, opts AttachOptions) error
	Wait(ctx context.Context, names []string, opts WaitOptions) ([]WaitReport, error)
	Inspect(ctx context.Context, names []string, opts InspectOptions) ([]InspectContainer, error)
	Exists(ctx context.Context, name string) (bool, error)
	Rename(ctx context.Context, name string, opts RenameOptions) error
	// Update changes a container's resource limits, live when it runs.
	Update(ctx context.Context, name string, opts UpdateOptions) error
	// Resize changes the size of a running container's terminal.
	Resize(ctx context.Context, name string, size TerminalSize) error
	Prune(ctx context.Context, opts PruneOptions) (*PruneReport, error)
	// ExecCreate, ExecStart, ExecResize and ExecInspect are Docker's
	// two-step exec: a session is recorded, then run, then inspected.
	ExecCreate(ctx context.Context, name string, opts ExecOptions) (string, error)
	ExecStart(ctx context.Context, execID string, opts ExecStartOptions) (*ExecReport, error)
	ExecResize(ctx context.Context, execID string, size TerminalSize) error
	ExecInspect(ctx context.Context, execID string) (*ExecInspect, error)
	// Cleanup is what conmon's exit command runs when a container's main
	// process ends: it records the exit, unmounts, and removes --rm ones.
	Cleanup(ctx context.Context, id string, opts CleanupOptions) error
}

// ImageEngine holds the operations on images.
type ImageEngine interface {
	Import(ctx context.Context, opts ImportOptions) (*ImportReport, error)
	// List reports the readable images and, apart, the unreadable ones.
	List(ctx context.Context, opts ImageListOptions) (*ImageListReport, error)
	Remove(ctx context.Context, names []string, opts ImageRemoveOptions) ([]ImageRemoveReport, error)
	Exists(ctx context.Context, name string) (bool, error)
	Inspect(ctx context.Context, names []string) ([]InspectImage, error)
	Tag(ctx context.Context, name string, opts TagOptions) error
	ImageTransferEngine
}

// SystemEngine holds host-wide operations.
type SystemEngine interface {
	Info(ctx context.Context) (*Info, error)
	Version(ctx context.Context) (*Version, error)
	// Events sends events matching opts to out until ctx ends or, without
	// Stream, until the recorded events up to Until (or now) are sent.
	Events(ctx context.Context, opts EventsOptions, out func(Event) error) error
}

// Error classes callers test with errors.Is; they are errdefs' sentinels,
// re-exported so command code needs one import.
var (
	ErrNoSuchContainer = errdefs.ErrNoSuchContainer
	ErrNoSuchImage     = errdefs.ErrNoSuchImage
	ErrNoSuchNetwork   = errdefs.ErrNoSuchNetwork
	ErrNoSuchVolume    = errdefs.ErrNoSuchVolume
	ErrNameInUse       = errdefs.ErrNameInUse
	ErrCtrRunning      = errdefs.ErrCtrRunning
	ErrCtrNotRunning   = errdefs.ErrCtrNotRunning
	ErrAmbiguous       = errdefs.ErrAmbiguous
	ErrInvalidArg      = errdefs.ErrInvalidArg
	ErrDetached        = errdefs.ErrDetached
	ErrNoSuchExec      = errdefs.ErrNoSuchExecSession
	ErrAlreadyStarted  = errdefs.ErrAlreadyStarted
	ErrAlreadyStopped  = errdefs.ErrAlreadyStopped
)
