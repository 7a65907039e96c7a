package libpod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"

	nettypes "github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// ContainerNetworks returns the networks container id is on, by name, with
// the attachment libnetwork sets up for each (interface name, aliases,
// static addresses). The database is the truth: the networks a container
// was created with and those connected since.
func (r *Runtime) ContainerNetworks(ctx context.Context, id string) (map[string]nettypes.PerNetworkOptions, error) {
	rows, err := r.db.ContainerNetworks(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make(map[string]nettypes.PerNetworkOptions, len(rows))
	for name, raw := range rows {
		var opts nettypes.PerNetworkOptions
		if err := json.Unmarshal(raw, &opts); err != nil {
			return nil, fmt.Errorf("decoding the attachment of container %s to network %s: %w", id, name, err)
		}
		out[name] = opts
	}
	return out, nil
}

// Attachment turns a spec's attachment (aliases, static addresses and
// MAC, as the user gave them) into libnetwork's per-network options.
func Attachment(a specgen.NetworkAttachment) (nettypes.PerNetworkOptions, error) {
	opts := nettypes.PerNetworkOptions{Aliases: a.Aliases}
	for _, s := range a.StaticIPs {
		ip := net.ParseIP(s)
		if ip == nil {
			return opts, fmt.Errorf("invalid IP address %q: %w", s, errdefs.ErrInvalidArg)
		}
		opts.StaticIPs = append(opts.StaticIPs, ip)
	}
	if a.StaticMAC != "" {
		mac, err := net.ParseMAC(a.StaticMAC)
		if err != nil {
			return opts, fmt.Errorf("invalid MAC address %q: %w", a.StaticMAC, errdefs.ErrInvalidArg)
		}
		opts.StaticMAC = nettypes.HardwareAddr(mac)
	}
	return opts, nil
}

// NetworkConnect puts container ctrRef on network netRef with opts' aliases
// and addresses. The membership is recorded first, in one statement: a
// container that is not running joins the network when it starts; a
// running one gets its interface at once, and the record is taken back if
// that fails. A command killed between the two leaves the record, and the
// interface comes with the next start.
func (r *Runtime) NetworkConnect(ctx context.Context, netRef, ctrRef string, opts nettypes.PerNetworkOptions) error {
	n, err := r.NetworkInspect(ctx, netRef)
	if err != nil {
		return err
	}
	c, err := r.lookup(ctx, ctrRef)
	if err != nil {
		return err
	}
	if n.Name == HostNetwork || n.Name == NoneNetwork {
		return errdefs.As(errdefs.ErrBuiltinNetwork, fmt.Sprintf("container %s cannot be connected to the %s network", c.Name, n.Name))
	}
	if !joinsNetworks(c.Config.Spec.NetworkMode) {
		return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf("container %s is in network mode %s, which joins no networks", c.Name, c.Config.Spec.NetworkMode))
	}
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	current, err := r.ContainerNetworks(ctx, c.ID)
	if err != nil {
		return err
	}
	if _, ok := current[n.Name]; ok {
		return errdefs.As(errdefs.ErrNameInUse, fmt.Sprintf("container %s is already on network %s", c.Name, n.Name))
	}
	if err := checkStaticIPs(&n.Network, opts.StaticIPs); err != nil {
		return err
	}
	opts.InterfaceName = nextInterface(current)
	raw, err := json.Marshal(opts)
	if err != nil {
		return err
	}
	if err := r.db.ConnectNetwork(ctx, c.ID, n.Name, raw); err != nil {
		return connectError(c, n.Name, err)
	}
	if c.State.Status.Up() {
		if err := r.attachRunning(ctx, c, n.Name, opts); err != nil {
			if derr := r.db.DisconnectNetwork(context.WithoutCancel(ctx), c.ID, n.Name); derr != nil {
				return errors.Join(err, derr)
			}
			return err
		}
	}
	r.recordNetworkEvent(ctx, n.Network, "connect", map[string]string{"container": c.ID})
	return nil
}

// NetworkDisconnect takes container ctrRef off network netRef: a running
// container's interface is torn down first, then the record goes.
func (r *Runtime) NetworkDisconnect(ctx context.Context, netRef, ctrRef string) error {
	n, err := r.NetworkInspect(ctx, netRef)
	if err != nil {
		return err
	}
	c, err := r.lookup(ctx, ctrRef)
	if err != nil {
		return err
	}
	if n.Name == HostNetwork || n.Name == NoneNetwork {
		return errdefs.As(errdefs.ErrBuiltinNetwork, fmt.Sprintf("container %s cannot be disconnected from the %s network", c.Name, n.Name))
	}
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	current, err := r.ContainerNetworks(ctx, c.ID)
	if err != nil {
		return err
	}
	opts, ok := current[n.Name]
	if !ok {
		return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf("container %s is not connected to network %s", c.Name, n.Name))
	}
	if c.State.Status.Up() {
		if err := r.detachRunning(ctx, c, n.Name, opts); err != nil {
			return err
		}
	}
	if err := r.db.DisconnectNetwork(ctx, c.ID, n.Name); err != nil {
		return connectError(c, n.Name, err)
	}
	r.recordNetworkEvent(ctx, n.Network, "disconnect", map[string]string{"container": c.ID})
	return nil
}

// joinsNetworks reports whether a container in network mode m is on
// bridge networks (the default one or a user network by name), as opposed
// to sharing a namespace, having none, or using pasta or slirp4netns.
func joinsNetworks(m string) bool {
	mode, err := specgen.ParseNetworkMode(m)
	return err == nil && mode.Kind == specgen.NetworkBridge
}

// nextInterface is the first of eth0, eth1, … no attachment uses.
func nextInterface(current map[string]nettypes.PerNetworkOptions) string {
	used := map[string]bool{}
	for _, o := range current {
		used[o.InterfaceName] = true
	}
	for i := 0; ; i++ {
		if name := fmt.Sprintf("eth%d", i); !used[name] {
			return name
		}
	}
}

// checkStaticIPs refuses static addresses outside every subnet of n, with
// a message naming them, before anything is recorded.
func checkStaticIPs(n *nettypes.Network, ips []net.IP) error {
	for _, ip := range ips {
		ok := false
		for _, s := range n.Subnets {
			if s.Subnet.Contains(ip) {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("address %s is in no subnet of network %s: %w", ip, n.Name, errdefs.ErrInvalidArg)
		}
	}
	return nil
}

// connectError names the container in the database's errors.
func connectError(c *Container, network string, err error) error {
	switch {
	case errors.Is(err, state.ErrAlreadyConnected):
		return errdefs.As(errdefs.ErrNameInUse, fmt.Sprintf("container %s is already on network %s", c.Name, network))
	case errors.Is(err, state.ErrNotConnected):
		return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf("container %s is not connected to network %s", c.Name, network))
	}
	return err
}

// specNetworks is what a new container is recorded as being on: the
// bridge network its (resolved) mode names, "bridge" being the default
// network, then the other networks of spec.Networks by name, each checked
// to exist and given its interface (eth0 for the mode's network, then
// eth1, …). Modes that join no networks take none; --mac-address goes to
// the mode's network.
func (r *Runtime) specNetworks(ctx context.Context, spec specgen.SpecGenerator) (map[string]json.RawMessage, error) {
	mode, err := specgen.ParseNetworkMode(spec.NetworkMode)
	if err != nil || mode.Kind != specgen.NetworkBridge {
		return nil, err
	}
	all, err := r.allNetworks(ctx)
	if err != nil {
		return nil, err
	}
	atts, err := specAttachments(spec, mode.Target, all)
	if err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(atts))
	for name, opts := range atts {
		if out[name], err = json.Marshal(opts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// specAttachments is specNetworks' work on the networks all: primary (the
// mode's network) first on eth0, the spec's other networks by name after
// it, each resolved among all by name or ID.
func specAttachments(spec specgen.SpecGenerator, primary string, all []NetworkInfo) (map[string]nettypes.PerNetworkOptions, error) {
	rest := make([]string, 0, len(spec.Networks))
	for name := range spec.Networks {
		if name != primary {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	current := map[string]nettypes.PerNetworkOptions{}
	for i, ref := range append([]string{primary}, rest...) {
		n, err := findNetwork(all, ref)
		if err != nil {
			return nil, err
		}
		if n.Name == HostNetwork || n.Name == NoneNetwork {
			return nil, errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf("network %s cannot be combined with other networks", n.Name))
		}
		if _, dup := current[n.Name]; dup {
			continue
		}
		a := spec.Networks[ref]
		if i == 0 && a.StaticMAC == "" {
			a.StaticMAC = spec.MacAddress
		}
		opts, err := Attachment(a)
		if err != nil {
			return nil, err
		}
		if err := checkStaticIPs(&n.Network, opts.StaticIPs); err != nil {
			return nil, err
		}
		opts.InterfaceName = nextInterface(current)
		current[n.Name] = opts
	}
	return current, nil
}

// defaultNetworkName is libnetwork's default network ("bridge").
func (r *Runtime) defaultNetworkName() (string, error) {
	backend, err := r.Network()
	if err != nil {
		return "", err
	}
	return backend.DefaultNetworkName(), nil
}
