package specgen

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/containers/common/libnetwork/types"
)

// Network mode kinds. A user network's mode is its name (kind
// NetworkBridge with that name as Target).
const (
	NetworkNone   = "none"
	NetworkHost   = "host"
	NetworkPasta  = "pasta"
	NetworkSlirp  = "slirp4netns"
	NetworkBridge = "bridge"
	// NetworkContainer joins another container's namespace: container:<name|id>.
	NetworkContainer = "container"
	// NetworkNS joins a namespace by path: ns:<path>.
	NetworkNS = "ns"
	// NetworkDefault is Docker's name for the engine's default mode.
	NetworkDefault = "default"
)

// networkNameRegexp is containers/common's (and Docker's) rule for names.
var networkNameRegexp = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// NetworkMode is a parsed --network value.
type NetworkMode struct {
	// Kind is one of the Network* kinds; "" is the engine's default.
	Kind string
	// Options are pasta's or slirp4netns's own options (pasta:--opt,…).
	Options []string
	// Target is the container for NetworkContainer, the path for
	// NetworkNS and the network's name for NetworkBridge.
	Target string
}

// ParseNetworkMode parses a --network value: "" or "default" (the
// engine's default), none, host, pasta[:opts], slirp4netns[:opts],
// container:<name|id>, ns:<path>, bridge, or a user network's name.
func ParseNetworkMode(s string) (NetworkMode, error) {
	kind, arg, hasArg := strings.Cut(s, ":")
	switch kind {
	case "", NetworkDefault:
		if hasArg {
			break
		}
		return NetworkMode{}, nil
	case NetworkNone, NetworkHost:
		if hasArg {
			break
		}
		return NetworkMode{Kind: kind}, nil
	case NetworkPasta, NetworkSlirp:
		m := NetworkMode{Kind: kind}
		if hasArg {
			if arg == "" {
				return m, invalidf("invalid network mode %s: no options after the colon", quoteShort(s))
			}
			m.Options = strings.Split(arg, ",")
		}
		return m, nil
	case NetworkContainer, NetworkNS:
		if arg == "" {
			return NetworkMode{}, invalidf("invalid network mode %s: want %s:<%s>", quoteShort(s), kind, map[string]string{NetworkContainer: "name or ID", NetworkNS: "path"}[kind])
		}
		if kind == NetworkNS && !strings.HasPrefix(arg, "/") {
			return NetworkMode{}, invalidf("invalid network mode %s: the namespace path must be absolute", quoteShort(s))
		}
		return NetworkMode{Kind: kind, Target: arg}, nil
	default:
		if !hasArg && networkNameRegexp.MatchString(s) {
			return NetworkMode{Kind: NetworkBridge, Target: s}, nil
		}
	}
	return NetworkMode{}, invalidf("invalid network mode %s: want none, host, pasta[:options], slirp4netns[:options], container:<name|id>, ns:<path>, bridge or a network name", quoteShort(s))
}

// OwnNetNS reports whether the mode gives the container a network
// namespace of its own that the engine sets up (and where published
// ports, a MAC address or a static IP can apply).
func (m NetworkMode) OwnNetNS() bool {
	switch m.Kind {
	case NetworkPasta, NetworkSlirp, NetworkBridge:
		return true
	}
	return false
}

func (s *SpecGenerator) validateNetwork() error {
	m, err := ParseNetworkMode(s.NetworkMode)
	if err != nil {
		return err
	}
	if err := s.validatePorts(m); err != nil {
		return err
	}
	if err := s.validateAttachments(m); err != nil {
		return err
	}
	return s.validateDNS(m)
}

// validatePorts refuses published ports outside a mode of the container's
// own (Docker ignores them with a warning under host networking; a port
// that silently is not published is worse than an error).
func (s *SpecGenerator) validatePorts(m NetworkMode) error {
	if len(s.PortMappings) > 0 || s.PublishAll {
		if m.Kind != "" && !m.OwnNetNS() {
			return invalidf("cannot publish ports with --network %s: the container has no network of its own", quoteShort(s.NetworkMode))
		}
	}
	for _, p := range s.PortMappings {
		if err := validatePortMapping(p); err != nil {
			return err
		}
	}
	for _, e := range s.Expose {
		if _, err := ParseExpose(e); err != nil {
			return err
		}
	}
	return nil
}

func validatePortMapping(p types.PortMapping) error {
	what := fmt.Sprintf("published port %d/%s", p.ContainerPort, p.Protocol)
	if p.ContainerPort == 0 {
		return invalidf("invalid published port: the container port must be 1-65535")
	}
	for _, proto := range strings.Split(p.Protocol, ",") {
		if proto != "tcp" && proto != "udp" {
			return invalidf("invalid %s: protocol %s must be tcp or udp", what, quoteShort(proto))
		}
	}
	r := uint32(max(p.Range, 1))
	if uint32(p.ContainerPort)+r-1 > 65535 || uint32(p.HostPort)+r-1 > 65535 {
		return invalidf("invalid %s: the range of %d ports runs past 65535", what, r)
	}
	if p.HostIP != "" && net.ParseIP(p.HostIP) == nil {
		return invalidf("invalid %s: host IP %s is not an IP address", what, quoteShort(p.HostIP))
	}
	return nil
}

// validateAttachments checks the per-network settings (--ip,
// --network-alias, --mac-address), which need a bridge network.
func (s *SpecGenerator) validateAttachments(m NetworkMode) error {
	bridge := m.Kind == NetworkBridge || m.Kind == ""
	if s.MacAddress != "" {
		if _, err := net.ParseMAC(s.MacAddress); err != nil {
			return invalidf("invalid MAC address %s", quoteShort(s.MacAddress))
		}
		if !bridge {
			return invalidf("--mac-address needs a bridge network, not --network %s", quoteShort(s.NetworkMode))
		}
	}
	for name, a := range s.Networks {
		if !networkNameRegexp.MatchString(name) {
			return invalidf("invalid network name %s", quoteShort(name))
		}
		if !bridge && (len(a.StaticIPs) > 0 || len(a.Aliases) > 0 || a.StaticMAC != "") {
			return invalidf("--ip, --network-alias and --mac-address need a bridge network, not --network %s", quoteShort(s.NetworkMode))
		}
		for _, ip := range a.StaticIPs {
			if net.ParseIP(ip) == nil {
				return invalidf("invalid IP address %s for network %s", quoteShort(ip), name)
			}
		}
		if a.StaticMAC != "" {
			if _, err := net.ParseMAC(a.StaticMAC); err != nil {
				return invalidf("invalid MAC address %s for network %s", quoteShort(a.StaticMAC), name)
			}
		}
		for _, alias := range a.Aliases {
			if alias == "" || strings.ContainsAny(alias, " \t\n/") {
				return invalidf("invalid network alias %s", quoteShort(alias))
			}
		}
	}
	return nil
}

// validateDNS checks --dns, --dns-search, --dns-option and --add-host.
func (s *SpecGenerator) validateDNS(m NetworkMode) error {
	if m.Kind == NetworkContainer && (len(s.DNSServers)+len(s.DNSSearch)+len(s.DNSOptions)+len(s.HostAdd) > 0 || s.Hostname != "") {
		return invalidf("--dns, --dns-search, --dns-option, --add-host and --hostname cannot be used with --network %s: the container shares its network and names", quoteShort(s.NetworkMode))
	}
	for _, d := range s.DNSServers {
		if net.ParseIP(d) == nil {
			return invalidf("invalid --dns %s: not an IP address", quoteShort(d))
		}
	}
	for _, d := range s.DNSSearch {
		if d == "" || strings.ContainsAny(d, " \t\n") {
			return invalidf("invalid --dns-search %s", quoteShort(d))
		}
	}
	for _, o := range s.DNSOptions {
		if o == "" || strings.ContainsAny(o, " \t\n") {
			return invalidf("invalid --dns-option %s", quoteShort(o))
		}
	}
	for _, h := range s.HostAdd {
		if _, _, err := ParseHostAdd(h); err != nil {
			return err
		}
	}
	return nil
}

// HostGateway is the --add-host address that stands for the host.
const HostGateway = "host-gateway"

// ParseHostAdd splits an --add-host entry, "name:ip" (Docker also takes
// "name=ip"; an IPv6 address may be in brackets), ip being an address or
// host-gateway.
func ParseHostAdd(h string) (name, ip string, err error) {
	name, ip, ok := strings.Cut(h, "=")
	if !ok {
		name, ip, ok = strings.Cut(h, ":")
	}
	ip = strings.TrimSuffix(strings.TrimPrefix(ip, "["), "]")
	if !ok || name == "" || strings.ContainsAny(name, " \t\n") {
		return "", "", invalidf("invalid --add-host %s: want name:ip", quoteShort(h))
	}
	if ip != HostGateway && net.ParseIP(ip) == nil {
		return "", "", invalidf("invalid --add-host %s: %s is neither an IP address nor %s", quoteShort(h), quoteShort(ip), HostGateway)
	}
	return name, ip, nil
}
