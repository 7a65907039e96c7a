package local

import (
	"context"
	"sort"
	"strconv"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// publishedIP is how Docker reports a port published on every address.
func publishedIP(hostIP string) string {
	if hostIP == "" {
		return "0.0.0.0"
	}
	return hostIP
}

// eachPort calls fn for every single port of the mappings (ranges
// expanded) and protocol.
func eachPort(ports []nettypes.PortMapping, fn func(hostIP string, host, ctr uint16, proto string)) {
	for _, m := range ports {
		for i := uint16(0); i < max(m.Range, 1); i++ {
			host := m.HostPort
			if host != 0 {
				host += i
			}
			for _, proto := range splitProto(m.Protocol) {
				fn(m.HostIP, host, m.ContainerPort+i, proto)
			}
		}
	}
}

func splitProto(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == ',' {
			if i > start {
				out = append(out, p[start:i])
			}
			start = i + 1
		}
	}
	if len(out) == 0 {
		out = []string{"tcp"}
	}
	return out
}

// running reports whether the container's network (and so its published
// ports) is up.
func running(c *libpod.Container) bool { return c.State.Status.Up() }

// listPorts are ps's ports, as Docker's /containers/json lists them: the
// published ones with their host side, then exposed ones without, while
// the container runs.
func listPorts(c *libpod.Container) []engine.Port {
	out := []engine.Port{}
	if !running(c) {
		return out
	}
	published := map[nat.Port]bool{}
	eachPort(c.State.Ports, func(hostIP string, host, ctr uint16, proto string) {
		out = append(out, engine.Port{IP: publishedIP(hostIP), PrivatePort: ctr, PublicPort: host, Type: proto})
		published[nat.Port(strconv.Itoa(int(ctr))+"/"+proto)] = true
	})
	for _, p := range c.Config.Spec.ExposedPorts(c.Config.Image) {
		if !published[p] {
			out = append(out, engine.Port{PrivatePort: uint16(p.Int()), Type: p.Proto()})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].PrivatePort != out[j].PrivatePort {
			return out[i].PrivatePort < out[j].PrivatePort
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// portMap is inspect's NetworkSettings.Ports: while running, every
// exposed or published port, with its host bindings (null when only
// exposed), as Docker shows it.
func portMap(c *libpod.Container) nat.PortMap {
	pm := nat.PortMap{}
	if !running(c) {
		return pm
	}
	for _, p := range c.Config.Spec.ExposedPorts(c.Config.Image) {
		pm[p] = nil
	}
	eachPort(c.State.Ports, func(hostIP string, host, ctr uint16, proto string) {
		p := nat.Port(strconv.Itoa(int(ctr)) + "/" + proto)
		pm[p] = append(pm[p], nat.PortBinding{HostIP: publishedIP(hostIP), HostPort: strconv.Itoa(int(host))})
	})
	return pm
}

// portBindings is HostConfig.PortBindings: the ports as asked for (host
// port "" when left to the engine).
func portBindings(c *libpod.Container) nat.PortMap {
	pm := nat.PortMap{}
	eachPort(c.Config.Spec.PortMappings, func(hostIP string, host, ctr uint16, proto string) {
		p := nat.Port(strconv.Itoa(int(ctr)) + "/" + proto)
		b := nat.PortBinding{HostIP: hostIP}
		if host != 0 {
			b.HostPort = strconv.Itoa(int(host))
		}
		pm[p] = append(pm[p], b)
	})
	return pm
}

// exposedPorts is Config.ExposedPorts: the image's and --expose's, and
// the published ones.
func exposedPorts(c *libpod.Container) nat.PortSet {
	ps := nat.PortSet{}
	for _, p := range c.Config.Spec.ExposedPorts(c.Config.Image) {
		ps[p] = struct{}{}
	}
	eachPort(c.Config.Spec.PortMappings, func(_ string, _, ctr uint16, proto string) {
		ps[nat.Port(strconv.Itoa(int(ctr))+"/"+proto)] = struct{}{}
	})
	return ps
}

// networks are the container's networks by name: for a bridge network
// netavark's report (address, gateway, MAC) while it is attached; for
// the other modes one entry named after the mode, as Docker names its
// host and none networks.
func networks(rt *libpod.Runtime, c *libpod.Container, detail bool) map[string]*network.EndpointSettings {
	if len(c.BridgeNetworks()) == 0 {
		return map[string]*network.EndpointSettings{c.NetworkMode(): {}}
	}
	// The networks the database records: those of the spec and those
	// connected since, less those disconnected.
	recorded, err := rt.ContainerNetworks(context.Background(), c.ID)
	if err != nil {
		logrus.Debugf("reading the networks of container %s: %v", c.ID, err)
	}
	out := make(map[string]*network.EndpointSettings, len(recorded))
	for name, opts := range recorded {
		ep := &network.EndpointSettings{Aliases: opts.Aliases}
		if detail {
			ep.NetworkID = rt.NetworkID(name)
		}
		if sb, ok := c.State.NetworkStatus[name]; ok {
			fillEndpoint(ep, sb)
		}
		out[name] = ep
	}
	return out
}

func fillEndpoint(ep *network.EndpointSettings, sb nettypes.StatusBlock) {
	for _, iface := range sb.Interfaces {
		ep.MacAddress = iface.MacAddress.String()
		for _, a := range iface.Subnets {
			ones, _ := a.IPNet.Mask.Size()
			if a.IPNet.IP.To4() != nil {
				ep.IPAddress, ep.IPPrefixLen = a.IPNet.IP.String(), ones
				if a.Gateway != nil {
					ep.Gateway = a.Gateway.String()
				}
			} else {
				ep.GlobalIPv6Address, ep.GlobalIPv6PrefixLen = a.IPNet.IP.String(), ones
				if a.Gateway != nil {
					ep.IPv6Gateway = a.Gateway.String()
				}
			}
		}
	}
}
