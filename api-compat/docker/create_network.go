package docker

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/versions"
	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// supportedEndpoint are the fields of an EndpointSettings a create request
// may set. The others are either filled by the daemon in reports
// (NetworkID, IPAddress, Gateway, DNSNames...) or options skiff has no
// equivalent for (Links, DriverOpts, LinkLocalIPs, GwPriority): those are
// refused by name when set.
var supportedEndpoint = map[string]bool{
	"Aliases": true, "IPAMConfig": true, "MacAddress": true,
	// Fields Docker reports and ignores in a request (the CLI sends them
	// empty, a client may echo an inspected endpoint): they ask for nothing.
	"NetworkID": true, "EndpointID": true, "Gateway": true, "IPAddress": true,
	"IPPrefixLen": true, "IPv6Gateway": true, "GlobalIPv6Address": true,
	"GlobalIPv6PrefixLen": true, "DNSNames": true,
}

// networkSpec is the networking part of a create request in skiff's terms.
type networkSpec struct {
	mode       string
	networks   map[string]specgen.NetworkAttachment
	macAddress string
}

// networkFromCreate translates NetworkMode, NetworkDisabled, MacAddress and
// the endpoints of NetworkingConfig. apiVersion is the request's: before
// API 1.44 a container is created on one network only and joins others by
// /networks/{id}/connect, as Docker itself insists.
func networkFromCreate(apiVersion string, cfg *container.Config, hc *container.HostConfig, nc *network.NetworkingConfig) (networkSpec, error) {
	mode, err := networkMode(string(hc.NetworkMode), cfg.NetworkDisabled)
	if err != nil {
		return networkSpec{}, err
	}
	ns := networkSpec{mode: mode, macAddress: cfg.MacAddress} //nolint:staticcheck // API < 1.44 sends it here
	var eps map[string]*network.EndpointSettings
	if nc != nil {
		eps = nc.EndpointsConfig
	}
	if len(eps) > 1 && apiVersion != "" && versions.LessThan(apiVersion, "1.44") {
		return networkSpec{}, invalid("Container cannot be connected to network endpoints: %s", strings.Join(sortedKeys(eps), ", "))
	}
	for _, name := range sortedKeys(eps) {
		if err := ns.addEndpoint(name, eps[name]); err != nil {
			return networkSpec{}, err
		}
	}
	return ns, nil
}

// addEndpoint adds one endpoint of NetworkingConfig. The modes that are
// not networks one can configure (host, none, container:, and Docker's
// default bridge) take only what Docker lets them take.
func (ns *networkSpec) addEndpoint(name string, ep *network.EndpointSettings) error {
	if ep == nil {
		ep = &network.EndpointSettings{}
	}
	field := fmt.Sprintf("NetworkingConfig.EndpointsConfig[%q]", name)
	if err := unsupportedFields(field, reflect.ValueOf(*ep), supportedEndpoint); err != nil {
		return err
	}
	var ips []string
	if ipam := ep.IPAMConfig; ipam != nil {
		if len(ipam.LinkLocalIPs) > 0 {
			return invalid("%s.IPAMConfig.LinkLocalIPs is not supported yet", field)
		}
		for _, ip := range []string{ipam.IPv4Address, ipam.IPv6Address} {
			if ip != "" {
				ips = append(ips, ip)
			}
		}
	}
	switch {
	case name == "default" || name == "bridge":
		// Docker's default bridge: no aliases, no static address there.
		if len(ep.Aliases) > 0 || len(ips) > 0 {
			return invalid("%s: network-scoped aliases and static addresses are supported only on user-defined networks", field)
		}
		if ep.MacAddress != "" {
			ns.macAddress = ep.MacAddress
		}
		return nil
	case name == specgen.NetworkHost || name == specgen.NetworkNone || strings.HasPrefix(name, "container:"):
		if len(ep.Aliases) > 0 || len(ips) > 0 || ep.MacAddress != "" {
			return invalid("%s: a container on the %s network has no endpoint to configure", field, name)
		}
		return nil
	}
	if ns.networks == nil {
		ns.networks = map[string]specgen.NetworkAttachment{}
	}
	ns.networks[name] = specgen.NetworkAttachment{Aliases: nilIfEmpty(ep.Aliases), StaticIPs: ips, StaticMAC: ep.MacAddress}
	return nil
}

// networkMode maps Docker's network modes onto skiff's. Docker's default
// ("" from the SDK, "default" from the CLI) and its default bridge
// ("bridge") are skiff's default network (empty); host, none,
// container:<id> and user network names go through as they are, for the
// engine to resolve (and refuse with its own words).
func networkMode(mode string, disabled bool) (string, error) {
	if disabled {
		if mode != "" && mode != "default" && mode != specgen.NetworkNone {
			return "", invalid("Config.NetworkDisabled conflicts with HostConfig.NetworkMode %q", mode)
		}
		return specgen.NetworkNone, nil
	}
	switch mode {
	case "", "default", "bridge":
		return "", nil
	}
	return mode, nil
}

// portsFromCreate translates PortBindings (the published ports), and
// ExposedPorts, which the docker CLI also fills for each -p.
func portsFromCreate(bindings nat.PortMap, exposed nat.PortSet) ([]nettypes.PortMapping, []string, error) {
	var maps []nettypes.PortMapping
	for _, port := range sortedPorts(bindings) {
		for i, b := range bindings[port] {
			pm, err := portMapping(port, b)
			if err != nil {
				return nil, nil, fmt.Errorf("HostConfig.PortBindings[%q][%d]: %w", port, i, err)
			}
			maps = append(maps, pm)
		}
	}
	var expose []string
	for port := range exposed {
		if _, _, err := port.Range(); err != nil {
			return nil, nil, invalid("Config.ExposedPorts: invalid port %q", port)
		}
		expose = append(expose, string(port))
	}
	sort.Strings(expose)
	return maps, expose, nil
}

// portMapping is one host binding of a container port. An empty host port
// asks for a random one (HostPort 0). A host port range for one container
// port ("8000-8010:80", Docker picks a free one) has no equivalent in the
// network backends' port mappings and is refused.
func portMapping(port nat.Port, b nat.PortBinding) (nettypes.PortMapping, error) {
	start, end, err := port.Range()
	if err != nil || start != end || start < 1 || start > 65535 {
		return nettypes.PortMapping{}, invalid("invalid container port %q", port)
	}
	pm := nettypes.PortMapping{
		HostIP:        strings.Trim(b.HostIP, "[]"),
		ContainerPort: uint16(start),
		Range:         1,
		Protocol:      port.Proto(),
	}
	switch proto := port.Proto(); proto {
	case "tcp", "udp", "sctp":
	default:
		return nettypes.PortMapping{}, invalid("invalid protocol %q", proto)
	}
	if b.HostPort == "" {
		return pm, nil
	}
	if strings.Contains(b.HostPort, "-") {
		lo, hi, err := nat.ParsePortRange(b.HostPort)
		if err != nil {
			return nettypes.PortMapping{}, invalid("invalid host port %q", b.HostPort)
		}
		if lo != hi {
			return nettypes.PortMapping{}, invalid("a host port range (%s) for one container port is not supported yet", b.HostPort)
		}
		b.HostPort = strconv.FormatUint(lo, 10)
	}
	hp, err := strconv.ParseUint(b.HostPort, 10, 16)
	if err != nil {
		return nettypes.PortMapping{}, invalid("invalid host port %q", b.HostPort)
	}
	pm.HostPort = uint16(hp)
	return pm, nil
}

func sortedPorts(m nat.PortMap) []nat.Port {
	out := make([]nat.Port, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
