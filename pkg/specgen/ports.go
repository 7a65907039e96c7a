package specgen

import (
	"sort"
	"strconv"
	"strings"

	"github.com/containers/common/libnetwork/types"
	"github.com/docker/go-connections/nat"
)

// ParsePublish parses one -p/--publish value,
// [ip:][hostPort:]containerPort[/tcp|udp], with ranges on either side,
// into port mappings; consecutive ports become one ranged mapping. A host
// port of 0 means the engine picks a free one at start.
func ParsePublish(spec string) ([]types.PortMapping, error) {
	parsed, err := nat.ParsePortSpec(spec)
	if err != nil {
		return nil, invalidf("invalid --publish %s: %v", quoteShort(spec), err)
	}
	out := make([]types.PortMapping, 0, len(parsed))
	for _, p := range parsed {
		m := types.PortMapping{HostIP: p.Binding.HostIP, ContainerPort: uint16(p.Port.Int()), Protocol: p.Port.Proto(), Range: 1}
		if m.Protocol == "sctp" {
			return nil, invalidf("invalid --publish %s: sctp is not supported", quoteShort(spec))
		}
		if p.Binding.HostPort != "" {
			hp, err := strconv.ParseUint(p.Binding.HostPort, 10, 16)
			if err != nil {
				return nil, invalidf("invalid --publish %s: host port %s", quoteShort(spec), quoteShort(p.Binding.HostPort))
			}
			m.HostPort = uint16(hp)
		}
		out = append(out, m)
	}
	return mergeRanges(out), nil
}

// mergeRanges joins mappings whose container and (non-zero) host ports
// both follow the previous one's.
func mergeRanges(in []types.PortMapping) []types.PortMapping {
	var out []types.PortMapping
	for _, m := range in {
		if n := len(out); n > 0 {
			last := &out[n-1]
			next := last.ContainerPort + last.Range
			if last.HostIP == m.HostIP && last.Protocol == m.Protocol && m.ContainerPort == next &&
				last.HostPort != 0 && m.HostPort == last.HostPort+last.Range {
				last.Range++
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// ParseExpose parses an --expose value, port[/proto] or first-last[/proto],
// into its ports as Docker names them ("80/tcp").
func ParseExpose(e string) ([]nat.Port, error) {
	portSpec, proto, _ := strings.Cut(e, "/")
	if proto == "" {
		proto = "tcp"
	}
	if proto != "tcp" && proto != "udp" {
		return nil, invalidf("invalid --expose %s: protocol must be tcp or udp", quoteShort(e))
	}
	first, last, err := nat.ParsePortRangeToInt(portSpec)
	if err != nil || first == 0 {
		return nil, invalidf("invalid --expose %s: want port[/proto] or first-last[/proto]", quoteShort(e))
	}
	out := make([]nat.Port, 0, last-first+1)
	for p := first; p <= last; p++ {
		out = append(out, nat.Port(strconv.Itoa(p)+"/"+proto))
	}
	return out, nil
}

// ExposedPorts are the image's EXPOSE ports and --expose's, sorted and
// without duplicates. Invalid entries were refused by Validate.
func (s *SpecGenerator) ExposedPorts(img ImageConfig) []nat.Port {
	seen := map[nat.Port]bool{}
	var out []nat.Port
	add := func(p nat.Port) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, e := range img.ExposedPorts {
		if p, err := nat.NewPort(nat.SplitProtoPort(e)); err == nil {
			add(p)
		}
	}
	for _, e := range s.Expose {
		ports, _ := ParseExpose(e)
		for _, p := range ports {
			add(p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Int() != out[j].Int() {
			return out[i].Int() < out[j].Int()
		}
		return out[i].Proto() < out[j].Proto()
	})
	return out
}

// ResolvePorts is every port the container publishes: -p's, and with -P
// each exposed port not published yet, with host port 0 (picked at start).
func (s *SpecGenerator) ResolvePorts(img ImageConfig) []types.PortMapping {
	out := append([]types.PortMapping(nil), s.PortMappings...)
	if !s.PublishAll {
		return out
	}
	published := func(p nat.Port) bool {
		for _, m := range s.PortMappings {
			if m.Protocol == p.Proto() && uint16(p.Int()) >= m.ContainerPort && uint16(p.Int()) < m.ContainerPort+max(m.Range, 1) {
				return true
			}
		}
		return false
	}
	for _, p := range s.ExposedPorts(img) {
		if !published(p) {
			out = append(out, types.PortMapping{ContainerPort: uint16(p.Int()), Protocol: p.Proto(), Range: 1})
		}
	}
	return out
}
