package local

import (
	"context"
	"fmt"
	"strings"
	"time"

	units "github.com/docker/go-units"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/libpod/logs"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// status renders Docker's human status column: "Up 3 minutes",
// "Up 3 minutes (Paused)", "Exited (0) 2 seconds ago", "Created".
func status(c *libpod.Container, now time.Time) string {
	switch c.State.Status {
	case libpod.StatusRunning:
		return "Up " + units.HumanDuration(now.Sub(c.State.StartedAt))
	case libpod.StatusPaused:
		return "Up " + units.HumanDuration(now.Sub(c.State.StartedAt)) + " (Paused)"
	case libpod.StatusExited:
		return fmt.Sprintf("Exited (%d) %s ago", c.State.ExitCode, units.HumanDuration(now.Sub(c.State.FinishedAt)))
	case libpod.StatusCreated:
		return "Created"
	case libpod.StatusRemoving:
		return "Removal In Progress"
	}
	return string(c.State.Status)
}

func args(c *libpod.Container) []string {
	a, err := c.Config.Spec.ResolveArgs(c.Config.Image)
	if err != nil {
		return nil
	}
	return a
}

func mounts(c *libpod.Container) []engine.MountPoint {
	out := []engine.MountPoint{}
	for _, m := range c.Config.Spec.Mounts {
		mode := "rw"
		if m.ReadOnly {
			mode = "ro"
		}
		out = append(out, engine.MountPoint{
			Type: "bind", Source: m.Source, Destination: m.Destination,
			Mode: mode, RW: !m.ReadOnly, Propagation: "rprivate",
		})
	}
	return append(out, volumeMountPoints(c)...)
}

func labels(c *libpod.Container) map[string]string {
	l := c.Config.Spec.ResolveLabels(c.Config.Image)
	if l == nil {
		l = map[string]string{}
	}
	return l
}

func toListContainer(rt *libpod.Runtime, c *libpod.Container, size bool) engine.ListContainer {
	lc := engine.ListContainer{
		ID: c.ID, Names: []string{"/" + c.Name}, Image: c.Config.ImageName, ImageID: "sha256:" + c.Config.ImageID,
		Command: strings.Join(args(c), " "), Created: c.Created.Unix(), Ports: listPorts(c),
		Labels: labels(c), State: string(c.State.Status), Status: status(c, time.Now()), Mounts: mounts(c),
		ExitCode: c.State.ExitCode, Pid: c.State.PID, StartedAt: c.State.StartedAt, ExitedAt: c.State.FinishedAt,
		CreatedAt: c.Created,
	}
	lc.HostConfig.NetworkMode = c.NetworkMode()
	lc.NetworkSettings.Networks = networks(rt, c, false)
	if size {
		lc.SizeRw, lc.SizeRootFs = rt.Sizes(c)
	}
	return lc
}

func toInspect(rt *libpod.Runtime, c *libpod.Container) engine.InspectContainer {
	a := args(c)
	var path string
	var rest []string
	if len(a) > 0 {
		path, rest = a[0], a[1:]
	}
	spec := c.Config.Spec
	binds := []string{}
	for _, m := range spec.Mounts {
		b := m.Source + ":" + m.Destination
		if m.ReadOnly {
			b += ":ro"
		}
		binds = append(binds, b)
	}
	cmd := spec.Command
	if len(cmd) == 0 {
		cmd = c.Config.Image.Cmd
	}
	entrypoint := c.Config.Image.Entrypoint
	if spec.Entrypoint != nil {
		entrypoint = spec.Entrypoint
	}
	bundle := rt.BundleDir(c)
	return engine.InspectContainer{
		ID: c.ID, Created: c.Created, Path: path, Args: nonNil(rest),
		State: engine.ContainerState{
			Status: string(c.State.Status), Running: c.State.Status.Up(), Paused: c.State.Status == libpod.StatusPaused,
			Pid: c.State.PID, ConmonPid: c.State.ConmonPID, ExitCode: c.State.ExitCode, Error: c.State.Error,
			StartedAt: c.State.StartedAt, FinishedAt: c.State.FinishedAt,
		},
		Image:          "sha256:" + c.Config.ImageID,
		ResolvConfPath: bundle + "/resolv.conf", HostnamePath: bundle + "/hostname", HostsPath: bundle + "/hosts",
		LogPath: rt.LogPath(c), Name: "/" + c.Name, RestartCount: c.State.RestartCount,
		Driver: rt.DriverName(), Platform: "linux", ExecIDs: rt.ExecSessionIDs(context.Background(), c),
		HostConfig: engine.HostConfig{
			Binds: binds, NetworkMode: c.NetworkMode(), AutoRemove: spec.Remove, Runtime: rt.RuntimeName(),
			PortBindings: portBindings(c), PublishAllPorts: spec.PublishAll,
			DNS: nonNil(spec.DNSServers), DNSSearch: nonNil(spec.DNSSearch), DNSOptions: nonNil(spec.DNSOptions),
			ExtraHosts: nonNil(spec.HostAdd),
			LogConfig:  engine.LogConfig{Type: logs.Driver, Config: map[string]string{}},
			Privileged: spec.Privileged, SecurityHostConfig: securityHostConfig(&spec),
		},
		GraphDriver: engine.GraphDriver{Name: rt.DriverName(), Data: map[string]string{}},
		Mounts:      mounts(c),
		Config: engine.ContainerConfig{
			Hostname: c.Config.Hostname, User: spec.User, AttachStdin: spec.Stdin,
			Tty: spec.Terminal, OpenStdin: spec.Stdin, StdinOnce: spec.Stdin,
			Env: spec.ResolveEnv(c.Config.Image, c.Config.Hostname), Cmd: nonNil(cmd), Image: c.Config.ImageName,
			WorkingDir: spec.ResolveWorkDir(c.Config.Image), Entrypoint: nonNil(entrypoint),
			Labels: labels(c), StopSignal: spec.StopSignal, StopTimeout: spec.StopTimeout,
			ExposedPorts: exposedPorts(c),
		},
		NetworkSettings: engine.NetworkSettings{SandboxKey: c.State.NetNS, Ports: portMap(c), Networks: networks(rt, c, true)},
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
