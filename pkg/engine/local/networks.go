package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"

	nettypes "github.com/containers/common/libnetwork/types"
	netutil "github.com/containers/common/libnetwork/util"
	"github.com/docker/docker/api/types/network"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// BridgeNameOption is Docker's driver option naming the bridge on the
// host (-o com.docker.network.bridge.name=br0).
const BridgeNameOption = "com.docker.network.bridge.name"

type networkEngine struct {
	rt *libpod.Runtime
}

func (e *networkEngine) Create(ctx context.Context, opts engine.NetworkCreateOptions) (*engine.NetworkReport, error) {
	n, err := toLibnetwork(opts)
	if err != nil {
		return nil, err
	}
	created, err := e.rt.NetworkCreate(ctx, n, opts.IgnoreIfExists)
	if err != nil {
		return nil, err
	}
	info, err := e.rt.NetworkInspect(ctx, created.ID)
	if err != nil {
		return nil, err
	}
	rep := toNetworkReport(info)
	return &rep, nil
}

func (e *networkEngine) List(ctx context.Context, opts engine.NetworkListOptions) ([]engine.NetworkReport, error) {
	list, err := e.rt.NetworkList(ctx, opts.Filters)
	if err != nil {
		return nil, err
	}
	out := make([]engine.NetworkReport, 0, len(list))
	for i := range list {
		out = append(out, toNetworkReport(&list[i]))
	}
	return out, nil
}

func (e *networkEngine) Inspect(ctx context.Context, names []string) ([]engine.NetworkReport, error) {
	out := make([]engine.NetworkReport, 0, len(names))
	var errs []error
	for _, name := range names {
		info, err := e.rt.NetworkInspect(ctx, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, toNetworkReport(info))
	}
	return out, errors.Join(errs...)
}

func (e *networkEngine) Remove(ctx context.Context, names []string, opts engine.NetworkRemoveOptions) ([]engine.ActionReport, error) {
	out := make([]engine.ActionReport, 0, len(names))
	for _, name := range names {
		removed, err := e.rt.NetworkRemove(ctx, name, libpod.NetworkRemoveOptions{Force: opts.Force, Timeout: opts.Timeout})
		out = append(out, engine.ActionReport{ID: removed, RawInput: name, Err: err})
	}
	return out, nil
}

func (e *networkEngine) Prune(ctx context.Context, opts engine.NetworkPruneOptions) (*engine.NetworkPruneReport, error) {
	deleted, err := e.rt.NetworkPrune(ctx, opts.Filters)
	if err != nil {
		return nil, err
	}
	return &engine.NetworkPruneReport{Deleted: deleted}, nil
}

func (e *networkEngine) Exists(ctx context.Context, name string) (bool, error) {
	return e.rt.NetworkExists(ctx, name)
}

func (e *networkEngine) Connect(ctx context.Context, name string, opts engine.NetworkConnectOptions) error {
	var ips []string
	for _, ip := range []string{opts.IPv4, opts.IPv6} {
		if ip != "" {
			ips = append(ips, ip)
		}
	}
	att, err := libpod.Attachment(specAttachment(opts.Aliases, ips, opts.MAC))
	if err != nil {
		return err
	}
	return e.rt.NetworkConnect(ctx, name, opts.Container, att)
}

func (e *networkEngine) Disconnect(ctx context.Context, name string, opts engine.NetworkDisconnectOptions) error {
	return e.rt.NetworkDisconnect(ctx, name, opts.Container)
}

// toLibnetwork turns create options into the partial network libnetwork
// completes: subnets pair with gateways and IP ranges by position.
func toLibnetwork(opts engine.NetworkCreateOptions) (nettypes.Network, error) {
	n := nettypes.Network{
		Name: opts.Name, Driver: opts.Driver, Internal: opts.Internal, IPv6Enabled: opts.IPv6,
		DNSEnabled: !opts.DisableDNS, Labels: opts.Labels,
	}
	// Docker's bridge name option is libnetwork's interface name; the
	// other options go to netavark as they are.
	for k, v := range opts.Options {
		if k == BridgeNameOption {
			n.NetworkInterface = v
			continue
		}
		if n.Options == nil {
			n.Options = map[string]string{}
		}
		n.Options[k] = v
	}
	if n.Driver == "" {
		n.Driver = nettypes.BridgeNetworkDriver
	}
	if n.Driver != nettypes.BridgeNetworkDriver {
		return n, fmt.Errorf("network driver %q is not supported: only %q is: %w", n.Driver, nettypes.BridgeNetworkDriver, errdefs.ErrInvalidArg)
	}
	if len(opts.Gateways) > len(opts.Subnets) || len(opts.IPRanges) > len(opts.Subnets) {
		return n, fmt.Errorf("every --gateway and --ip-range needs a --subnet: %w", errdefs.ErrInvalidArg)
	}
	for i, s := range opts.Subnets {
		subnet, err := nettypes.ParseCIDR(s)
		if err != nil {
			return n, fmt.Errorf("invalid subnet %q: %w", s, errdefs.ErrInvalidArg)
		}
		sn := nettypes.Subnet{Subnet: subnet}
		if i < len(opts.Gateways) && opts.Gateways[i] != "" {
			if sn.Gateway = net.ParseIP(opts.Gateways[i]); sn.Gateway == nil {
				return n, fmt.Errorf("invalid gateway %q: %w", opts.Gateways[i], errdefs.ErrInvalidArg)
			}
		}
		if i < len(opts.IPRanges) && opts.IPRanges[i] != "" {
			lease, err := leaseRange(opts.IPRanges[i])
			if err != nil {
				return n, err
			}
			sn.LeaseRange = lease
		}
		n.Subnets = append(n.Subnets, sn)
	}
	return n, nil
}

// leaseRange is the addresses of CIDR r that containers may get, as
// Docker's --ip-range gives them.
func leaseRange(r string) (*nettypes.LeaseRange, error) {
	_, cidr, err := net.ParseCIDR(r)
	if err != nil {
		return nil, fmt.Errorf("invalid ip-range %q: %w", r, errdefs.ErrInvalidArg)
	}
	first, err := netutil.FirstIPInSubnet(cidr)
	if err != nil {
		return nil, err
	}
	last, err := netutil.LastIPInSubnet(cidr)
	if err != nil {
		return nil, err
	}
	return &nettypes.LeaseRange{StartIP: first, EndIP: last}, nil
}

// rangeCIDR is the CIDR a lease range was made from (see leaseRange), or
// "start-end" when it is not one.
func rangeCIDR(l *nettypes.LeaseRange) string {
	if l == nil || l.StartIP == nil {
		return ""
	}
	bits := 8 * len(l.StartIP)
	if v4 := l.StartIP.To4(); v4 != nil {
		bits = 32
	}
	for ones := bits; ones >= 0; ones-- {
		cidr := &net.IPNet{IP: l.StartIP.Mask(net.CIDRMask(ones, bits)), Mask: net.CIDRMask(ones, bits)}
		first, _ := netutil.FirstIPInSubnet(cidr)
		last, _ := netutil.LastIPInSubnet(cidr)
		if first.Equal(l.StartIP) && (l.EndIP == nil || last.Equal(l.EndIP)) {
			return cidr.String()
		}
	}
	return fmt.Sprintf("%s-%s", l.StartIP, l.EndIP)
}

// toNetworkReport is a network in Docker's shape.
func toNetworkReport(info *libpod.NetworkInfo) engine.NetworkReport {
	n := info.Network
	rep := engine.NetworkReport{
		Name: n.Name, ID: n.ID, Created: n.Created, Scope: libpod.NetworkScope, Driver: n.Driver,
		EnableIPv4: len(n.Subnets) > 0 || info.Builtin && n.Name != libpod.HostNetwork && n.Name != libpod.NoneNetwork,
		EnableIPv6: n.IPv6Enabled, Internal: n.Internal,
		IPAM:       network.IPAM{Driver: "default", Options: map[string]string{}, Config: []network.IPAMConfig{}},
		Containers: map[string]network.EndpointResource{},
		Options:    nonNilMap(n.Options), Labels: nonNilMap(n.Labels),
	}
	if n.NetworkInterface != "" && !info.Builtin {
		rep.Options[BridgeNameOption] = n.NetworkInterface
	}
	if info.Builtin && (n.Name == libpod.HostNetwork || n.Name == libpod.NoneNetwork) {
		rep.IPAM.Config = nil
	}
	for _, s := range n.Subnets {
		cfg := network.IPAMConfig{Subnet: s.Subnet.String(), IPRange: rangeCIDR(s.LeaseRange)}
		if s.Gateway != nil {
			cfg.Gateway = s.Gateway.String()
		}
		rep.IPAM.Config = append(rep.IPAM.Config, cfg)
	}
	for _, m := range info.Members {
		rep.Containers[m.Container.ID] = endpoint(m, n.Name)
	}
	return rep
}

// endpoint is a member's entry in a network's Containers.
func endpoint(m libpod.NetworkMember, networkName string) network.EndpointResource {
	ep := network.EndpointResource{Name: m.Container.Name}
	if m.Status == nil {
		return ep
	}
	// Docker names each endpoint with an ID of its own; skiff's is the
	// container's and network's, fixed while the container is attached.
	sum := sha256.Sum256([]byte(m.Container.ID + "/" + networkName))
	ep.EndpointID = hex.EncodeToString(sum[:])
	for _, iface := range m.Status.Interfaces {
		ep.MacAddress = iface.MacAddress.String()
		for _, a := range iface.Subnets {
			if a.IPNet.IP.To4() != nil {
				ep.IPv4Address = a.IPNet.String()
			} else {
				ep.IPv6Address = a.IPNet.String()
			}
		}
	}
	return ep
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func specAttachment(aliases, ips []string, mac string) specgen.NetworkAttachment {
	return specgen.NetworkAttachment{Aliases: aliases, StaticIPs: ips, StaticMAC: mac}
}
