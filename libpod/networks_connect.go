package libpod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

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
		return fmt.Errorf("container %s is in network mode %s, which joins no networks: %w", c.Name, c.Config.Spec.NetworkMode, errdefs.ErrInvalidArg)
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
// bridge networks (the default one, a user network by name, or those of
// its spec's Networks), as opposed to sharing or lacking a namespace.
func joinsNetworks(m string) bool {
	switch {
	case m == HostNetwork, m == NoneNetwork, m == "pasta", m == "slirp4netns",
		strings.HasPrefix(m, "pasta:"), strings.HasPrefix(m, "slirp4netns:"),
		strings.HasPrefix(m, "container:"), strings.HasPrefix(m, "ns:"):
		return false
	}
	return true
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
// bridge network its mode names (the default network for "bridge", and
// as root for no mode at all), and every network of spec.Networks, each
// checked to exist and given its interface name in a stable order
// (the mode's network first). Modes that join no networks take none.
func (r *Runtime) specNetworks(ctx context.Context, spec specgen.SpecGenerator) (map[string]json.RawMessage, error) {
	mode := spec.NetworkMode
	if !joinsNetworks(mode) {
		for name := range spec.Networks {
			if name != mode {
				return nil, fmt.Errorf("network mode %s cannot be combined with network %s: %w", mode, name, errdefs.ErrInvalidArg)
			}
		}
		return nil, nil
	}
	if mode == "" && r.cfg.Rootless && len(spec.Networks) == 0 {
		return nil, nil // the rootless default is pasta (or slirp4netns)
	}
	var order []string
	if mode != "" || (!r.cfg.Rootless && len(spec.Networks) == 0) {
		order = append(order, mode)
	}
	rest := make([]string, 0, len(spec.Networks))
	for name := range spec.Networks {
		rest = append(rest, name)
	}
	sort.Strings(rest)
	order = append(order, rest...)
	all, err := r.allNetworks(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	current := map[string]nettypes.PerNetworkOptions{}
	for _, ref := range order {
		name := ref
		if ref == "" || ref == "bridge" || ref == "default" {
			if name, err = r.defaultNetworkName(); err != nil {
				return nil, err
			}
		}
		n, err := findNetwork(all, name)
		if err != nil {
			return nil, err
		}
		if n.Name == HostNetwork || n.Name == NoneNetwork {
			return nil, fmt.Errorf("network %s cannot be combined with other networks: %w", n.Name, errdefs.ErrInvalidArg)
		}
		if _, dup := current[n.Name]; dup {
			continue
		}
		opts, err := Attachment(spec.Networks[ref])
		if err != nil {
			return nil, err
		}
		if err := checkStaticIPs(&n.Network, opts.StaticIPs); err != nil {
			return nil, err
		}
		opts.InterfaceName = nextInterface(current)
		current[n.Name] = opts
		if out[n.Name], err = json.Marshal(opts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// defaultNetworkName is libnetwork's default network ("bridge").
func (r *Runtime) defaultNetworkName() (string, error) {
	backend, err := r.Network()
	if err != nil {
		return "", err
	}
	return backend.DefaultNetworkName(), nil
}
