package engine

import (
	"context"

	"github.com/docker/docker/api/types/network"
)

// NetworkEngine holds the operations on networks. Networks are
// containers/common's libnetwork networks (netavark); reports are in
// Docker's shape, so `network inspect` and the Docker API answer alike.
type NetworkEngine interface {
	// Create makes a network and reports it as inspect would.
	Create(ctx context.Context, opts NetworkCreateOptions) (*NetworkReport, error)
	// List reports the networks opts' filters select, builtin ones
	// (bridge, host, none) included, as Docker lists them.
	List(ctx context.Context, opts NetworkListOptions) ([]NetworkReport, error)
	// Inspect reports the named networks; a missing one fails the call
	// with ErrNoSuchNetwork after the rest are reported.
	Inspect(ctx context.Context, names []string) ([]NetworkReport, error)
	// Remove removes networks one by one: each report carries its own
	// error. A network in use is refused unless opts.Force, which removes
	// the containers on it first.
	Remove(ctx context.Context, names []string, opts NetworkRemoveOptions) ([]ActionReport, error)
	// Prune removes the user networks no container is on.
	Prune(ctx context.Context, opts NetworkPruneOptions) (*NetworkPruneReport, error)
	Exists(ctx context.Context, name string) (bool, error)
	// Connect puts a container on a network: recorded for a container
	// that is not running, set up at once for a running one.
	Connect(ctx context.Context, network string, opts NetworkConnectOptions) error
	// Disconnect takes a container off a network.
	Disconnect(ctx context.Context, network string, opts NetworkDisconnectOptions) error
}

// NetworkReport is a network in Docker's shape (GET /networks/{id}).
type NetworkReport = network.Inspect

// NetworkCreateOptions describe a new network, as `network create` takes
// them. Subnets, Gateways and IPRanges pair by position, as Docker's
// repeated --subnet, --gateway and --ip-range do.
type NetworkCreateOptions struct {
	Name   string `json:"name"`
	Driver string `json:"driver,omitempty"`
	// Subnets are CIDRs; none allocates one from the pool.
	Subnets []string `json:"subnets,omitempty"`
	// Gateways are the subnets' gateway addresses (default: first host).
	Gateways []string `json:"gateways,omitempty"`
	// IPRanges are CIDRs inside the subnets that containers get
	// addresses from.
	IPRanges []string `json:"ip_ranges,omitempty"`
	Internal bool     `json:"internal,omitempty"`
	IPv6     bool     `json:"ipv6,omitempty"`
	// DisableDNS turns the network's name resolution off (a user bridge
	// network has it on, as Docker's do).
	DisableDNS bool              `json:"disable_dns,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	// Options are driver options (Docker's --opt), passed to netavark.
	Options map[string]string `json:"options,omitempty"`
	// IgnoreIfExists reports an existing network of that name instead of
	// failing (Docker's CheckDuplicate=false has no other use).
	IgnoreIfExists bool `json:"ignore_if_exists,omitempty"`
}

// NetworkListOptions select networks with Docker's network filters:
// dangling, driver, id, label, name, scope, type (custom or builtin).
type NetworkListOptions struct {
	Filters map[string][]string `json:"filters,omitempty"`
}

// NetworkRemoveOptions remove networks.
type NetworkRemoveOptions struct {
	// Force removes the containers on the network first (Podman's -f).
	Force bool `json:"force,omitempty"`
	// Timeout is how long to wait for those containers to stop.
	Timeout *uint `json:"timeout,omitempty"`
}

// NetworkPruneOptions select what a prune may remove: until and
// label/label! filters, as Docker's.
type NetworkPruneOptions struct {
	Filters map[string][]string `json:"filters,omitempty"`
}

// NetworkPruneReport names the networks a prune removed.
type NetworkPruneReport struct {
	Deleted []string `json:"NetworksDeleted"`
}

// NetworkConnectOptions put one container on a network.
type NetworkConnectOptions struct {
	Container string `json:"container"`
	// Aliases are the container's extra DNS names on the network.
	Aliases []string `json:"aliases,omitempty"`
	// IPv4 and IPv6 are static addresses (empty: allocated).
	IPv4 string `json:"ipv4,omitempty"`
	IPv6 string `json:"ipv6,omitempty"`
	// MAC is the interface's MAC address (empty: random).
	MAC string `json:"mac,omitempty"`
}

// NetworkDisconnectOptions take one container off a network.
type NetworkDisconnectOptions struct {
	Container string `json:"container"`
	// Force is Docker's flag; a container is taken off its network the
	// same way either way.
	Force bool `json:"force,omitempty"`
}
