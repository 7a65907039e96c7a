package libpod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/filter"
	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Docker's predefined networks besides the default bridge: a container in
// host or none mode is on them. They exist only in lists and inspects;
// libnetwork knows nothing of them.
const (
	HostNetwork = "host"
	NoneNetwork = "none"
)

// NetworkInfo is one network with the containers on it.
type NetworkInfo struct {
	nettypes.Network
	// Builtin marks Docker's predefined networks (bridge, host, none),
	// which cannot be removed.
	Builtin bool
	// Members are the containers on the network, oldest first.
	Members []NetworkMember
}

// NetworkMember is one container on a network and how it is attached.
type NetworkMember struct {
	Container *Container
	Options   nettypes.PerNetworkOptions
	// Status is what libnetwork set up for a running container (its
	// addresses and MAC); nil when it is not running.
	Status *nettypes.StatusBlock
}

// NetworkCreate creates a network through libnetwork, which fills in what
// n leaves out (ID, subnet from the pool, gateway, bridge name). The names
// of the builtin networks are refused. With ignoreIfExists an existing
// network of that name is returned instead.
func (r *Runtime) NetworkCreate(ctx context.Context, n nettypes.Network, ignoreIfExists bool) (*nettypes.Network, error) {
	if n.Name == HostNetwork || n.Name == NoneNetwork {
		return nil, errdefs.As(errdefs.ErrBuiltinNetwork, fmt.Sprintf("%s is a pre-defined network and cannot be created", n.Name))
	}
	backend, err := r.Network()
	if err != nil {
		return nil, err
	}
	// Docker's bridge networks cannot reach each other; netavark's can
	// unless isolated (the default network is isolated too).
	if _, set := n.Options[nettypes.IsolateOption]; !set && (n.Driver == "" || n.Driver == nettypes.BridgeNetworkDriver) {
		opts := map[string]string{nettypes.IsolateOption: "true"}
		for k, v := range n.Options {
			opts[k] = v
		}
		n.Options = opts
	}
	if n.NetworkInterface == "" && (n.Driver == "" || n.Driver == nettypes.BridgeNetworkDriver) {
		if n.NetworkInterface, err = freeBridgeName(backend); err != nil {
			return nil, err
		}
	}
	created, err := backend.NetworkCreate(n, &nettypes.NetworkCreateOptions{IgnoreIfExists: ignoreIfExists})
	if err != nil {
		return nil, netError(n.Name, err)
	}
	r.recordNetworkEvent(ctx, created, "create", nil)
	return &created, nil
}

// NetworkInspect finds one network by name, full ID or unique ID prefix,
// with the containers on it.
func (r *Runtime) NetworkInspect(ctx context.Context, nameOrID string) (*NetworkInfo, error) {
	all, err := r.allNetworks(ctx)
	if err != nil {
		return nil, err
	}
	return findNetwork(all, nameOrID)
}

// NetworkExists reports whether nameOrID names a network.
func (r *Runtime) NetworkExists(ctx context.Context, nameOrID string) (bool, error) {
	_, err := r.NetworkInspect(ctx, nameOrID)
	if errors.Is(err, errdefs.ErrNoSuchNetwork) || errors.Is(err, errdefs.ErrAmbiguous) {
		return false, nil
	}
	return err == nil, err
}

// NetworkRemoveOptions remove a network.
type NetworkRemoveOptions struct {
	// Force removes the containers on the network first.
	Force bool
	// Timeout is how long running containers get to stop (nil: their
	// own stop timeout).
	Timeout *uint
}

// NetworkRemove removes one network and returns its name. A network a
// container is on is refused, naming the container, unless opts.Force:
// then those containers are removed first, as Podman does. The builtin
// networks cannot be removed.
func (r *Runtime) NetworkRemove(ctx context.Context, nameOrID string, opts NetworkRemoveOptions) (string, error) {
	n, err := r.NetworkInspect(ctx, nameOrID)
	if err != nil {
		return "", err
	}
	if n.Builtin {
		return "", errdefs.As(errdefs.ErrBuiltinNetwork, fmt.Sprintf("%s is a pre-defined network and cannot be removed", n.Name))
	}
	if len(n.Members) > 0 && !opts.Force {
		return "", errdefs.As(errdefs.ErrNetworkInUse, fmt.Sprintf("network %s is in use by container %s (remove it first, or use --force)",
			n.Name, memberNames(n.Members)))
	}
	for _, m := range n.Members {
		if err := r.Remove(ctx, m.Container, RemoveOptions{Force: true, Timeout: opts.Timeout}); err != nil && !errors.Is(err, errdefs.ErrNoSuchContainer) {
			return "", fmt.Errorf("removing container %s that is on network %s: %w", m.Container.Name, n.Name, err)
		}
	}
	if err := r.removeNetwork(ctx, n); err != nil {
		return "", err
	}
	return n.Name, nil
}

// removeNetwork removes n's config through libnetwork, after checking in
// the database that no container joined it meanwhile.
func (r *Runtime) removeNetwork(ctx context.Context, n *NetworkInfo) error {
	members, err := r.db.NetworkMembers(ctx, n.Name)
	if err != nil {
		return err
	}
	if len(members) > 0 {
		return errdefs.As(errdefs.ErrNetworkInUse, fmt.Sprintf("network %s is in use by container %s", n.Name, members[0].ContainerID))
	}
	backend, err := r.Network()
	if err != nil {
		return err
	}
	if err := backend.NetworkRemove(n.ID); err != nil {
		return netError(n.Name, err)
	}
	r.recordNetworkEvent(ctx, n.Network, "remove", nil)
	return nil
}

// networkPruneKeys are the filters Docker's network prune accepts.
var networkPruneKeys = map[string]bool{"label": true, "label!": true, "until": true}

// NetworkPrune removes every user network no container is on that the
// filters select (until: created before; label and label!, as prune's
// everywhere) and returns their names. A network that cannot be removed
// is skipped with a warning, as Docker does.
func (r *Runtime) NetworkPrune(ctx context.Context, filters map[string][]string) ([]string, error) {
	args := filter.Args(filters)
	if err := filter.Validate(args, networkPruneKeys); err != nil {
		return nil, err
	}
	until, err := filter.PruneUntil(args, time.Now())
	if err != nil {
		return nil, err
	}
	all, err := r.allNetworks(ctx)
	if err != nil {
		return nil, err
	}
	deleted := []string{}
	for i := range all {
		n := &all[i]
		if n.Builtin || len(n.Members) > 0 || (!until.IsZero() && !n.Created.Before(until)) ||
			!filter.PruneLabels(args, n.Labels) {
			continue
		}
		if err := r.removeNetwork(ctx, n); err != nil {
			logrus.Warnf("failed to prune network %s: %v", n.Name, err)
			continue
		}
		deleted = append(deleted, n.Name)
	}
	return deleted, nil
}

// allNetworks lists libnetwork's networks and the builtin host and none,
// each with its members, sorted by name.
func (r *Runtime) allNetworks(ctx context.Context) ([]NetworkInfo, error) {
	backend, err := r.Network()
	if err != nil {
		return nil, err
	}
	nets, err := backend.NetworkList()
	if err != nil {
		return nil, fmt.Errorf("listing networks: %w", err)
	}
	members, err := r.networkMembers(ctx)
	if err != nil {
		return nil, err
	}
	def := backend.DefaultNetworkName()
	out := make([]NetworkInfo, 0, len(nets)+2)
	for _, n := range nets {
		out = append(out, NetworkInfo{Network: n, Builtin: n.Name == def, Members: members[n.Name]})
	}
	for _, p := range []struct{ name, driver string }{{HostNetwork, "host"}, {NoneNetwork, "null"}} {
		out = append(out, NetworkInfo{
			Network: nettypes.Network{Name: p.name, ID: builtinNetworkID(p.name), Driver: p.driver,
				Labels: map[string]string{}, Options: map[string]string{}},
			Builtin: true,
			Members: members[p.name],
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// networkMembers maps network names to the containers on them: the
// recorded memberships, and host and none for containers in those modes.
func (r *Runtime) networkMembers(ctx context.Context) (map[string][]NetworkMember, error) {
	rows, err := r.db.NetworkMembers(ctx)
	if err != nil {
		return nil, err
	}
	ctrs, err := r.Containers(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Container, len(ctrs))
	out := map[string][]NetworkMember{}
	for _, c := range ctrs {
		byID[c.ID] = c
		if m := c.Config.Spec.NetworkMode; m == HostNetwork || m == NoneNetwork {
			out[m] = append(out[m], NetworkMember{Container: c})
		}
	}
	for _, row := range rows {
		c, ok := byID[row.ContainerID]
		if !ok {
			continue // removed between the two reads
		}
		var opts nettypes.PerNetworkOptions
		if err := json.Unmarshal(row.Options, &opts); err != nil {
			return nil, fmt.Errorf("decoding the attachment of container %s to network %s: %w", c.ID, row.Network, err)
		}
		out[row.Network] = append(out[row.Network], NetworkMember{Container: c, Options: opts, Status: r.networkStatus(c, row.Network)})
	}
	for _, ms := range out {
		sort.Slice(ms, func(i, j int) bool { return ms[i].Container.Created.Before(ms[j].Container.Created) })
	}
	return out, nil
}

// findNetwork resolves nameOrID among all as Docker does: exact ID, exact
// name, then a unique ID prefix.
func findNetwork(all []NetworkInfo, nameOrID string) (*NetworkInfo, error) {
	for _, exact := range []func(n *NetworkInfo) bool{
		func(n *NetworkInfo) bool { return n.ID == nameOrID },
		func(n *NetworkInfo) bool { return n.Name == nameOrID },
	} {
		for i := range all {
			if exact(&all[i]) {
				return &all[i], nil
			}
		}
	}
	var found *NetworkInfo
	for i := range all {
		if nameOrID != "" && strings.HasPrefix(all[i].ID, nameOrID) {
			if found != nil {
				return nil, fmt.Errorf("network %s: more than one network matches: %w", nameOrID, errdefs.ErrAmbiguous)
			}
			found = &all[i]
		}
	}
	if found == nil {
		return nil, fmt.Errorf("network %s: %w", nameOrID, errdefs.ErrNoSuchNetwork)
	}
	return found, nil
}

// builtinNetworkID is the fixed ID of a builtin network: the same on every
// host, unlike Docker's random ones, because skiff keeps no record of them.
func builtinNetworkID(name string) string {
	sum := sha256.Sum256([]byte("skiff builtin network " + name))
	return hex.EncodeToString(sum[:])
}

// memberNames lists the containers on a network by name, for errors.
func memberNames(ms []NetworkMember) string {
	names := make([]string, 0, len(ms))
	for _, m := range ms {
		names = append(names, m.Container.Name)
	}
	return strings.Join(names, ", ")
}

// netError gives libnetwork's errors skiff's classes, naming the network.
func netError(name string, err error) error {
	switch {
	case errors.Is(err, nettypes.ErrNoSuchNetwork):
		return fmt.Errorf("network %s: %w", name, errdefs.ErrNoSuchNetwork)
	case errors.Is(err, nettypes.ErrNetworkExists):
		return errdefs.As(errdefs.ErrNetworkExists, fmt.Sprintf("network with name %s already exists", name))
	case errors.Is(err, nettypes.ErrInvalidArg):
		return errdefs.Reword(strings.TrimSuffix(err.Error(), ": "+nettypes.ErrInvalidArg.Error()), errdefs.ErrInvalidArg)
	}
	return fmt.Errorf("network %s: %w", name, err)
}

// recordNetworkEvent records a network event, as Docker's `network
// create`, `destroy`, `connect` and `disconnect` events.
func (r *Runtime) recordNetworkEvent(ctx context.Context, n nettypes.Network, action string, attrs map[string]string) {
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["name"] = n.Name
	attrs["type"] = n.Driver
	if action == "remove" {
		action = "destroy"
	}
	ev := state.Event{Type: "network", Action: action, ID: n.ID, Name: n.Name, Attributes: attrs}
	if _, err := r.db.AddEvent(context.WithoutCancel(ctx), ev); err != nil {
		logrus.Warnf("recording %s event of network %s: %v", action, n.Name, err)
	}
}

// freeBridgeName is the first skiffN that neither a network of skiff's nor
// a host interface uses. Left to containers/common the bridge would be
// podmanN, which a Podman on the same host picks too: its network and
// skiff's would then share one bridge.
func freeBridgeName(backend nettypes.ContainerNetwork) (string, error) {
	nets, err := backend.NetworkList()
	if err != nil {
		return "", fmt.Errorf("listing networks: %w", err)
	}
	used := map[string]bool{}
	for _, n := range nets {
		used[n.NetworkInterface] = true
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return "", fmt.Errorf("listing host interfaces: %w", err)
	}
	for _, i := range ifaces {
		used[i.Name] = true
	}
	for i := 1; i < 1<<16; i++ {
		if name := fmt.Sprintf("skiff%d", i); !used[name] {
			return name, nil
		}
	}
	return "", fmt.Errorf("no free bridge name skiffN")
}
