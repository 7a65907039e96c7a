package libpod

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/containers/common/libnetwork/etchosts"
	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/network"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// netPlan is what a starting container's network setup produced, for
// its /etc files and its OCI spec.
type netPlan struct {
	mode specgen.NetworkMode
	// nsPath is the network namespace the container joins; empty for
	// none (runc makes a fresh one) and host.
	nsPath string
	// result is nil unless the engine set a namespace up.
	result *network.Result
	// reserved are the bridge's published ports, bound; conmon inherits
	// and holds them while the container lives (see ReservePorts). The
	// caller closes its copies once conmon has started.
	reserved []*os.File
}

func (r *Runtime) netnsDir() string { return filepath.Join(r.cfg.TmpDir(), "netns") }

// netnsPath is where a container's own namespace is bind-mounted. It is
// fixed by the ID, so a crash between creating it and recording it in the
// state still leaves it where cleanup looks.
func (r *Runtime) netnsPath(id string) string { return filepath.Join(r.netnsDir(), id) }

func (r *Runtime) helperPidFile(id, helper string) string {
	return filepath.Join(r.netnsDir(), id+"."+helper+".pid")
}

// networkMode parses the container's stored mode. A container created
// before modes were resolved at create has "", which then meant none.
func networkMode(c *Container) specgen.NetworkMode {
	m, err := specgen.ParseNetworkMode(c.Config.Spec.NetworkMode)
	if err != nil || m.Kind == "" {
		return specgen.NetworkMode{Kind: specgen.NetworkNone}
	}
	return m
}

// setupNetwork prepares the container's network before the runtime
// creates it. With none or host it does nothing at all (the hot path).
// On failure nothing it made is left behind.
func (r *Runtime) setupNetwork(ctx context.Context, c *Container) (plan netPlan, err error) {
	plan.mode = networkMode(c)
	switch plan.mode.Kind {
	case specgen.NetworkNone, specgen.NetworkHost:
		return plan, nil
	case specgen.NetworkNS:
		if _, err := os.Stat(plan.mode.Target); err != nil {
			return plan, errdefs.WithClass(errdefs.ClassInvalid, fmt.Sprintf("network namespace %s: %v", plan.mode.Target, err))
		}
		plan.nsPath = plan.mode.Target
		return plan, nil
	case specgen.NetworkContainer:
		plan.nsPath, err = r.sharedNetNS(ctx, plan.mode.Target)
		return plan, err
	}
	path := r.netnsPath(c.ID)
	c.State.NetNS = path
	if err := r.saveState(ctx, c); err != nil {
		return plan, err
	}
	defer func() {
		if err != nil {
			r.teardownNetwork(context.WithoutCancel(ctx), c)
		}
	}()
	ports := c.Config.Spec.ResolvePorts(c.Config.Image)
	if err := network.CheckPorts(ports, r.cfg.Rootless); err != nil {
		return plan, err
	}
	if ports, err = network.AssignPorts(ports); err != nil {
		return plan, err
	}
	if err := network.CreateNetNS(path); err != nil {
		return plan, err
	}
	logrus.Debugf("network namespace of %s at %s", c.ID, path)
	plan.nsPath = path
	switch plan.mode.Kind {
	case specgen.NetworkPasta:
		plan.result, err = network.SetupPasta(network.PastaOptions{
			NetNS: path, Ports: ports, Options: plan.mode.Options,
			PidFile: r.helperPidFile(c.ID, "pasta"), TmpDir: r.cfg.TmpDir(),
		})
	case specgen.NetworkSlirp:
		plan.result, err = network.SetupSlirp(network.SlirpOptions{
			ContainerID: c.ID, NetNS: path, Ports: ports, Options: plan.mode.Options,
			PidFile: r.helperPidFile(c.ID, "slirp4netns"), TmpDir: r.cfg.TmpDir(),
		})
	case specgen.NetworkBridge:
		if plan.reserved, err = network.ReservePorts(ports); err != nil {
			return plan, err
		}
		if plan.result, err = r.setupBridge(ctx, c, path, ports); err != nil {
			network.CloseFiles(plan.reserved)
			plan.reserved = nil
		}
	}
	if err != nil {
		return plan, err
	}
	logrus.Debugf("%s network of %s set up", plan.mode.Kind, c.ID)
	c.State.Ports = ports
	return plan, r.saveState(ctx, c)
}

// sharedNetNS is the namespace of the running container named ref.
func (r *Runtime) sharedNetNS(ctx context.Context, ref string) (string, error) {
	other, err := r.lookup(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("joining the network of container %s: %w", ref, err)
	}
	if err := r.sync(ctx, other); err != nil {
		return "", err
	}
	if !other.State.Status.Up() || other.State.PID <= 0 {
		return "", fmt.Errorf("joining the network of container %s: it is not running: %w", ref, errdefs.ErrCtrStateInvalid)
	}
	if other.State.NetNS != "" {
		return other.State.NetNS, nil
	}
	return fmt.Sprintf("/proc/%d/ns/net", other.State.PID), nil
}

// setupBridge attaches the namespace to its bridge networks through
// netavark (NAT and port forwarding by netavark's firewall rules, which
// keep the client's source address).
func (r *Runtime) setupBridge(ctx context.Context, c *Container, path string, ports []nettypes.PortMapping) (*network.Result, error) {
	if r.cfg.Rootless && len(ports) > 0 {
		return nil, errdefs.WithClass(errdefs.ClassNotImplemented,
			"publishing ports of a rootless container on a bridge network is not supported yet: use --network pasta")
	}
	backend, err := r.Network()
	if err != nil {
		return nil, err
	}
	opts, err := r.bridgeNetworkOptions(ctx, c, ports)
	if err != nil || len(opts.Networks) == 0 {
		return &network.Result{}, err // disconnected from all: loopback only
	}
	status, err := backend.Setup(path, nettypes.SetupOptions{NetworkOptions: opts})
	if err != nil {
		return nil, fmt.Errorf("attaching container %s to network %s: %w", c.Name, networkMode(c).Target, err)
	}
	r.ensureIsolation(backend, status)
	c.State.NetworkStatus = status
	res := bridgeResult(status, primaryNetwork(opts.Networks))
	if r.cfg.Rootless {
		// The bridge lives in the rootless network namespace, not on the
		// host: its gateway is not the host. containers/common picks the
		// host's own address instead (Podman's choice).
		res.HostAddress = etchosts.GetHostContainersInternalIP(etchosts.HostContainersInternalOptions{
			Conf: network.ContainersConfig(r.cfg.TmpDir()), Exclude: res.IPs,
		})
	}
	return res, nil
}

// bridgeResult is the /etc files' view of netavark's status: the
// addresses, DNS servers (aardvark-dns) and the primary network's gateway,
// which as root reaches the host (host.containers.internal).
func bridgeResult(status map[string]nettypes.StatusBlock, primary string) *network.Result {
	res := &network.Result{}
	add := func(sb nettypes.StatusBlock, first bool) {
		for _, iface := range sb.Interfaces {
			for _, a := range iface.Subnets {
				res.IPs = append(res.IPs, a.IPNet.IP)
				if a.IPNet.IP.To4() == nil {
					res.IPv6 = true
				}
				if first && res.HostAddress == "" && a.Gateway != nil && a.Gateway.To4() != nil {
					res.HostAddress = a.Gateway.String()
				}
			}
		}
		for _, d := range sb.DNSServerIPs {
			res.DNSServers = append(res.DNSServers, d.String())
		}
	}
	add(status[primary], true)
	for name, sb := range status {
		if name != primary {
			add(sb, false)
		}
	}
	return res
}

// teardownNetwork undoes setupNetwork, also after a crash at any point of
// it or of the container (a kill -9 of skiff, conmon or pasta): every step
// tolerates what is already gone, and it looks at the fixed paths, not
// only at what the state recorded.
func (r *Runtime) teardownNetwork(ctx context.Context, c *Container) {
	mode := networkMode(c)
	if !mode.OwnNetNS() && c.State.NetNS == "" {
		return
	}
	path := r.netnsPath(c.ID)
	if _, err := os.Lstat(path); err == nil && mode.Kind == specgen.NetworkBridge {
		if err := r.teardownBridge(ctx, c, path); err != nil {
			// Without a recorded attachment this is the clean-up after a
			// failed or interrupted setup, which netavark mostly rolled
			// back itself: not worth a warning.
			log := logrus.Warnf
			if c.State.NetworkStatus == nil {
				log = logrus.Debugf
			}
			log("tearing down the network of container %s: %v", c.Name, err)
		}
	}
	for _, helper := range []string{"pasta", "slirp4netns"} {
		if err := network.StopHelper(r.helperPidFile(c.ID, helper), helper); err != nil {
			logrus.Warnf("stopping %s of container %s: %v", helper, c.Name, err)
		}
	}
	if err := network.RemoveNetNS(path); err != nil {
		logrus.Warnf("container %s: %v", c.Name, err)
	}
	logrus.Debugf("network of %s torn down", c.ID)
	c.State.NetNS = ""
	c.State.Ports = nil
	c.State.NetworkStatus = nil
}

func (r *Runtime) teardownBridge(ctx context.Context, c *Container, path string) error {
	backend, err := r.Network()
	if err != nil {
		return err
	}
	opts, err := r.bridgeNetworkOptions(ctx, c, c.State.Ports)
	if err != nil || len(opts.Networks) == 0 {
		return err
	}
	defer r.ensureIsolation(backend, c.State.NetworkStatus)
	return backend.Teardown(path, nettypes.TeardownOptions{NetworkOptions: opts})
}

// BridgeNetworks are the bridge networks the container is on, its
// mode's first; none for the other modes.
func (c *Container) BridgeNetworks() []string {
	mode := networkMode(c)
	if mode.Kind != specgen.NetworkBridge {
		return nil
	}
	names := []string{mode.Target}
	var others []string
	for name := range c.Config.Spec.Networks {
		if name != mode.Target {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	return append(names, others...)
}

// NetworkID is the ID of the bridge network name ("" when unknown); the
// default network's is fixed, so it needs no backend.
func (r *Runtime) NetworkID(name string) string {
	if name == network.DefaultNetworkName {
		return network.DefaultNetworkID()
	}
	backend, err := r.Network()
	if err != nil {
		return ""
	}
	n, err := backend.NetworkInspect(name)
	if err != nil {
		return ""
	}
	return n.ID
}
