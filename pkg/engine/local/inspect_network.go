package local

import (
	"strconv"
	"strings"

	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// withRequestedNetworking adds to an inspect report the networking the
// container was created with, as Docker's HostConfig and Config show it:
// what was asked for, not what it became (NetworkSettings has that).
func withRequestedNetworking(rep engine.InspectContainer, spec specgen.SpecGenerator) engine.InspectContainer {
	bindings, exposed := requestedPorts(spec)
	hc := &rep.HostConfig
	hc.PortBindings = bindings
	hc.PublishAllPorts = spec.PublishAll
	hc.DNS = nonNil(spec.DNSServers)
	hc.DNSOptions = nonNil(spec.DNSOptions)
	hc.DNSSearch = nonNil(spec.DNSSearch)
	hc.ExtraHosts = spec.HostAdd
	if len(exposed) > 0 {
		rep.Config.ExposedPorts = exposed
	}
	return rep
}

// requestedPorts turns the spec's port mappings into Docker's PortMap
// (one key per container port and protocol; a range is one key per port)
// and the set of exposed ports: the published ones and --expose's.
func requestedPorts(spec specgen.SpecGenerator) (nat.PortMap, nat.PortSet) {
	bindings := nat.PortMap{}
	exposed := nat.PortSet{}
	for _, pm := range spec.PortMappings {
		n := int(pm.Range)
		if n < 1 {
			n = 1
		}
		protos := strings.Split(pm.Protocol, ",")
		for _, proto := range protos {
			if proto == "" {
				proto = "tcp"
			}
			for i := 0; i < n; i++ {
				port := nat.Port(strconv.Itoa(int(pm.ContainerPort)+i) + "/" + proto)
				hostPort := ""
				if pm.HostPort != 0 {
					hostPort = strconv.Itoa(int(pm.HostPort) + i)
				}
				bindings[port] = append(bindings[port], nat.PortBinding{HostIP: pm.HostIP, HostPort: hostPort})
				exposed[port] = struct{}{}
			}
		}
	}
	for _, e := range spec.Expose {
		proto, ports := nat.SplitProtoPort(e)
		lo, hi, err := nat.ParsePortRange(ports)
		if err != nil {
			continue
		}
		for p := lo; p <= hi; p++ {
			port, err := nat.NewPort(proto, strconv.FormatUint(p, 10))
			if err == nil {
				exposed[port] = struct{}{}
			}
		}
	}
	return bindings, exposed
}
