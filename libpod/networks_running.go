package libpod

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/containers/common/libnetwork/etchosts"
	"github.com/containers/common/libnetwork/resolvconf"
	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// bridgeNetworkOptions are netavark's options for c's bridge networks: the
// networks recorded for it in the database (those it was created with and
// those connected since; see ContainerNetworks), with ports published on
// all of them.
func (r *Runtime) bridgeNetworkOptions(ctx context.Context, c *Container, ports []nettypes.PortMapping) (nettypes.NetworkOptions, error) {
	nets, err := r.ContainerNetworks(ctx, c.ID)
	if err != nil {
		return nettypes.NetworkOptions{}, err
	}
	return nettypes.NetworkOptions{ContainerID: c.ID, ContainerName: c.Name, PortMappings: ports, Networks: nets}, nil
}

// primaryNetwork is the network on eth0 (the one the container was
// created on), else the first by name: its gateway is the host's address.
func primaryNetwork(nets map[string]nettypes.PerNetworkOptions) string {
	names := make([]string, 0, len(nets))
	for name, o := range nets {
		if o.InterfaceName == "eth0" {
			return name
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// attachRunning gives running container c (locked by the caller) an
// interface on network name through netavark, in the namespace the engine
// made for it, then adds the network's name servers to its resolv.conf
// and its new addresses to its /etc/hosts, as Podman does.
func (r *Runtime) attachRunning(ctx context.Context, c *Container, name string, opts nettypes.PerNetworkOptions) error {
	if c.State.NetNS == "" {
		return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf("container %s has no network namespace of its own to connect", c.Name))
	}
	backend, err := r.Network()
	if err != nil {
		return err
	}
	status, err := backend.Setup(c.State.NetNS, nettypes.SetupOptions{NetworkOptions: nettypes.NetworkOptions{
		ContainerID: c.ID, ContainerName: c.Name, Networks: map[string]nettypes.PerNetworkOptions{name: opts},
	}})
	if err != nil {
		return fmt.Errorf("connecting container %s to network %s: %w", c.Name, name, err)
	}
	r.ensureIsolation(backend, status)
	if c.State.NetworkStatus == nil {
		c.State.NetworkStatus = map[string]nettypes.StatusBlock{}
	}
	for n, sb := range status {
		c.State.NetworkStatus[n] = sb
	}
	if err := r.saveState(ctx, c); err != nil {
		return err
	}
	r.editEtcFiles(c, status[name], true)
	return nil
}

// detachRunning removes running container c's interface on network name
// and takes the network's entries out of its /etc files.
func (r *Runtime) detachRunning(ctx context.Context, c *Container, name string, opts nettypes.PerNetworkOptions) error {
	if c.State.NetNS == "" {
		return nil
	}
	backend, err := r.Network()
	if err != nil {
		return err
	}
	err = backend.Teardown(c.State.NetNS, nettypes.TeardownOptions{NetworkOptions: nettypes.NetworkOptions{
		ContainerID: c.ID, ContainerName: c.Name, Networks: map[string]nettypes.PerNetworkOptions{name: opts},
	}})
	r.ensureIsolation(backend, map[string]nettypes.StatusBlock{name: c.State.NetworkStatus[name]})
	if err != nil {
		return fmt.Errorf("disconnecting container %s from network %s: %w", c.Name, name, err)
	}
	sb := c.State.NetworkStatus[name]
	delete(c.State.NetworkStatus, name)
	if err := r.saveState(ctx, c); err != nil {
		return err
	}
	r.editEtcFiles(c, sb, false)
	return nil
}

// editEtcFiles adds (or removes) a network's name servers in the running
// container's resolv.conf (unless --dns chose them) and its addresses on
// that network in /etc/hosts. The files are conveniences: a failure is
// logged, the connection stands.
func (r *Runtime) editEtcFiles(c *Container, sb nettypes.StatusBlock, add bool) {
	bundle := r.bundleDir(c.ID)
	var servers []string
	for _, ip := range sb.DNSServerIPs {
		servers = append(servers, ip.String())
	}
	if len(servers) > 0 && len(c.Config.Spec.DNSServers) == 0 {
		path := filepath.Join(bundle, "resolv.conf")
		edit := resolvconf.Remove
		if add {
			edit = resolvconf.Add
		}
		if err := edit(path, servers); err != nil {
			logrus.Warnf("updating resolv.conf of container %s: %v", c.Name, err)
		}
	}
	if c.Config.Spec.NoHosts {
		return
	}
	names := []string{c.Config.Hostname}
	if c.Name != c.Config.Hostname {
		names = append(names, c.Name)
	}
	var entries etchosts.HostEntries
	for _, iface := range sb.Interfaces {
		for _, a := range iface.Subnets {
			entries = append(entries, etchosts.HostEntry{IP: a.IPNet.IP.String(), Names: names})
		}
	}
	if len(entries) == 0 {
		return
	}
	path := filepath.Join(bundle, "hosts")
	edit := etchosts.Remove
	if add {
		edit = etchosts.Add
	}
	if err := edit(path, entries); err != nil {
		logrus.Warnf("updating /etc/hosts of container %s: %v", c.Name, err)
	}
}

// networkStatus is what libnetwork set up for running container c on
// network name, or nil.
func (r *Runtime) networkStatus(c *Container, name string) *nettypes.StatusBlock {
	if !c.State.Status.Up() {
		return nil
	}
	sb, ok := c.State.NetworkStatus[name]
	if !ok {
		return nil
	}
	return &sb
}
