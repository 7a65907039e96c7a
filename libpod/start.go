package libpod

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/network"
	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// StartOptions say how to start a container.
type StartOptions struct {
	// Attach opens conmon's attach socket before the process starts, so
	// not a byte of output is missed; the caller copies from it.
	Attach bool
	// InitialSize is applied to the terminal before the process runs.
	InitialSize *oci.TerminalSize
}

// Start starts a created or exited container. With opts.Attach it returns
// the attach connection, opened before the process started.
func (r *Runtime) Start(ctx context.Context, c *Container, opts StartOptions) (*oci.AttachConn, error) {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return nil, err
	}
	defer unlock()
	switch c.State.Status {
	case StatusRunning:
		return nil, fmt.Errorf("container %s: %w", c.Name, errdefs.ErrAlreadyStarted)
	case StatusPaused:
		return nil, errdefs.As(errdefs.ErrCtrStateInvalid, "cannot start a paused container, try unpause instead")
	case StatusRemoving:
		return nil, fmt.Errorf("container %s is being removed: %w", c.Name, errdefs.ErrCtrStateInvalid)
	}
	if !r.initialized(c) {
		if err := r.cleanupRuntime(ctx, c); err != nil {
			return nil, err
		}
		if err := r.initContainer(ctx, c, opts.InitialSize); err != nil {
			r.cleanupRuntime(context.WithoutCancel(ctx), c)
			return nil, err
		}
	}
	rt, err := r.OCI(ctx)
	if err != nil {
		return nil, err
	}
	var conn *oci.AttachConn
	if opts.Attach {
		if conn, err = oci.OpenAttach(r.bundleDir(c.ID)); err != nil {
			return nil, fmt.Errorf("attaching to container %s: %w", c.Name, err)
		}
	}
	if opts.InitialSize != nil && c.Config.Spec.Terminal {
		oci.ResizeTerminal(r.bundleDir(c.ID), opts.InitialSize.Height, opts.InitialSize.Width)
	}
	if err := rt.StartContainer(ctx, c.ID); err != nil {
		if conn != nil {
			conn.Close()
		}
		r.cleanupRuntime(context.WithoutCancel(ctx), c)
		return nil, startError(c, err)
	}
	logrus.Debugf("started %s", c.ID)
	c.State.Status = StatusRunning
	c.State.StartedAt = time.Now()
	c.State.FinishedAt = time.Time{}
	c.State.ExitCode = 0
	c.State.Epoch++
	if err := r.saveState(ctx, c); err != nil {
		return conn, err
	}
	r.recordEvent(ctx, c, "start", nil)
	return conn, nil
}

// initialized reports whether the runtime already holds the container
// created and waiting to start: an attach before start (Docker's run flow)
// initializes it so that no output is lost.
func (r *Runtime) initialized(c *Container) bool {
	return c.State.Status == StatusCreated && c.State.OCICreated && processAlive(c.State.PID)
}

// Init prepares a created container in the runtime without starting it.
func (r *Runtime) Init(ctx context.Context, c *Container) error {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	if c.State.Status != StatusCreated || r.initialized(c) {
		return nil
	}
	if err := r.cleanupRuntime(ctx, c); err != nil {
		return err
	}
	if err := r.initContainer(ctx, c, nil); err != nil {
		r.cleanupRuntime(context.WithoutCancel(ctx), c)
		return err
	}
	return nil
}

// initContainer mounts the rootfs, writes the OCI spec and has conmon run
// the runtime's create. The process exists afterwards but has not started.
// A known terminal size goes into the spec, so the first thing the
// process reads is already right (a resize through conmon may come late).
func (r *Runtime) initContainer(ctx context.Context, c *Container, size *oci.TerminalSize) error {
	store, err := r.Store()
	if err != nil {
		return err
	}
	mnt, err := store.Mount(c.ID, "")
	if err != nil {
		return fmt.Errorf("mounting rootfs of %s: %w", c.ID, err)
	}
	c.State.Mountpoint = mnt
	logrus.Debugf("mounted %s at %s", c.ID, mnt)
	if err := r.saveState(ctx, c); err != nil {
		return err
	}
	bundle := r.bundleDir(c.ID)
	if err := os.MkdirAll(bundle, 0o700); err != nil {
		return fmt.Errorf("creating bundle of %s: %w", c.ID, err)
	}
	if err := os.MkdirAll(r.persistDir(c.ID), 0o700); err != nil {
		return fmt.Errorf("creating state dir of %s: %w", c.ID, err)
	}
	plan, err := r.setupNetwork(ctx, c)
	if err != nil {
		return startError(c, err)
	}
	// conmon holds its own copies of the reserved ports from here on.
	defer network.CloseFiles(plan.reserved)
	files, err := r.writeEtcFiles(c, bundle, plan)
	if err != nil {
		return err
	}
	if err := r.prepareVolumes(ctx, c, mnt); err != nil {
		return startError(c, err)
	}
	gen := ociSpec(c)
	spec, err := gen.ToOCI(ctx, specgen.GenerateOptions{
		ID: c.ID, Rootfs: mnt, Image: c.Config.Image, Rootless: r.cfg.Rootless,
		HostsFile: files.hosts, ResolvConf: files.resolv, HostnameFile: files.hostname,
		NetNSPath: plan.nsPath, CgroupsAvailable: r.hostOptions().CgroupsAvailable,
	})
	if err != nil {
		return err
	}
	if size != nil && spec.Process != nil && spec.Process.Terminal {
		spec.Process.ConsoleSize = &specs.Box{Height: uint(size.Height), Width: uint(size.Width)}
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), data, 0o600); err != nil {
		return fmt.Errorf("writing OCI spec of %s: %w", c.ID, err)
	}
	os.Remove(filepath.Join(exitDir(r.cfg), c.ID))
	rt, err := r.OCI(ctx)
	if err != nil {
		return err
	}
	logrus.Debugf("spec written for %s", c.ID)
	res, err := rt.CreateContainer(ctx, oci.CreateOptions{
		ID: c.ID, Name: c.Name, Bundle: bundle, LogPath: r.logPath(c.ID), Hold: plan.reserved,
		ExitDir: exitDir(r.cfg), PersistDir: r.persistDir(c.ID),
		Terminal: c.Config.Spec.Terminal, Stdin: c.Config.Spec.Stdin,
		ExitCommand: r.exitCommand(c),
	})
	if err != nil {
		return startError(c, err)
	}
	logrus.Debugf("runtime created %s, pid %d", c.ID, res.PID)
	c.State.OCICreated = true
	c.State.PID = res.PID
	c.State.ConmonPID = res.ConmonPID
	return r.saveState(ctx, c)
}

// exitCommand is what conmon runs when the container's process ends: a
// skiff that records the exit and cleans up, even when nobody is attached.
func (r *Runtime) exitCommand(c *Container) []string {
	args := []string{r.exe, "--root", r.cfg.GraphRoot, "--runroot", r.cfg.RunRoot,
		"--log-level", r.cfg.LogLevel}
	if r.store != nil {
		args = append(args, "--storage-driver", r.store.GraphDriverName())
	}
	if r.cfg.Runtime != "" {
		args = append(args, "--runtime", r.cfg.Runtime)
	}
	args = append(args, "container", "cleanup")
	if c.Config.Spec.Remove {
		args = append(args, "--rm")
	}
	return append(args, c.ID)
}

// startError puts a failure to create or start c in context. The
// runtime's own failures come classified from libpod/oci (a missing
// executable 127, one that cannot be run 126), in one line that says the
// runtime's reason once.
func startError(c *Container, err error) error {
	return fmt.Errorf("starting container %s: %w", c.Name, err)
}
