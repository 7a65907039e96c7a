package docker

import (
	"testing"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// TestSpecFromCreateNetworking covers the networking fields of a create
// request: modes, published and exposed ports, DNS and hosts options, and
// the endpoints of NetworkingConfig (what compose sends for its networks).
func TestSpecFromCreateNetworking(t *testing.T) {
	type mod func(*container.Config, *container.HostConfig, *network.NetworkingConfig)
	req := func(m mod) container.CreateRequest {
		cfg := &container.Config{Image: "img"}
		hc := &container.HostConfig{}
		nc := &network.NetworkingConfig{}
		m(cfg, hc, nc)
		return container.CreateRequest{Config: cfg, HostConfig: hc, NetworkingConfig: nc}
	}
	spec := func(m func(*specgen.SpecGenerator)) specgen.SpecGenerator {
		s := specgen.SpecGenerator{Image: "img", Pull: "never"}
		m(&s)
		return s
	}
	tcp := func(hostIP string, cport, hport uint16) nettypes.PortMapping {
		return nettypes.PortMapping{HostIP: hostIP, ContainerPort: cport, HostPort: hport, Range: 1, Protocol: "tcp"}
	}
	eps := func(m map[string]*network.EndpointSettings) mod {
		return func(_ *container.Config, _ *container.HostConfig, nc *network.NetworkingConfig) {
			nc.EndpointsConfig = m
		}
	}
	tests := []struct {
		name       string
		apiVersion string
		req        container.CreateRequest
		want       specgen.SpecGenerator
		wantErr    string
	}{
		{name: "mode default", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.NetworkMode = "default"
		}),
			want: spec(func(*specgen.SpecGenerator) {})},
		{name: "mode bridge", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.NetworkMode = "bridge"
		}),
			want: spec(func(*specgen.SpecGenerator) {})},
		{name: "mode host", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.NetworkMode = "host"
		}),
			want: spec(func(s *specgen.SpecGenerator) { s.NetworkMode = "host" })},
		{name: "mode none", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.NetworkMode = "none"
		}),
			want: spec(func(s *specgen.SpecGenerator) { s.NetworkMode = "none" })},
		{name: "mode container", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.NetworkMode = "container:abc"
		}),
			want: spec(func(s *specgen.SpecGenerator) { s.NetworkMode = "container:abc" })},
		{name: "mode user network", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.NetworkMode = "proj_default"
		}),
			want: spec(func(s *specgen.SpecGenerator) { s.NetworkMode = "proj_default" })},
		{name: "publish fixed, random, host ip, udp", req: req(func(c *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			c.ExposedPorts = nat.PortSet{"80/tcp": {}, "53/udp": {}, "9000/tcp": {}}
			h.PortBindings = nat.PortMap{
				"80/tcp":   {{HostIP: "127.0.0.1", HostPort: "8080"}, {HostPort: "8081"}},
				"53/udp":   {{HostPort: ""}},
				"9000/tcp": {{HostIP: "[::1]", HostPort: "9000-9000"}},
			}
		}), want: spec(func(s *specgen.SpecGenerator) {
			s.Expose = []string{"53/udp", "80/tcp", "9000/tcp"}
			s.PortMappings = []nettypes.PortMapping{
				{ContainerPort: 53, Range: 1, Protocol: "udp"},
				tcp("127.0.0.1", 80, 8080), tcp("", 80, 8081), tcp("::1", 9000, 9000),
			}
		})},
		{name: "publish all", req: req(func(c *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			c.ExposedPorts = nat.PortSet{"80/tcp": {}}
			h.PublishAllPorts = true
		}), want: spec(func(s *specgen.SpecGenerator) { s.Expose = []string{"80/tcp"}; s.PublishAll = true })},
		{name: "host port range for one port", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.PortBindings = nat.PortMap{"80/tcp": {{HostPort: "8000-8010"}}}
		}), wantErr: `HostConfig.PortBindings["80/tcp"][0]: a host port range (8000-8010) for one container port is not supported yet`},
		{name: "bad host port", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.PortBindings = nat.PortMap{"80/tcp": {{HostPort: "http"}}}
		}), wantErr: `invalid host port "http"`},
		{name: "bad container port", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.PortBindings = nat.PortMap{"x/tcp": {{HostPort: "80"}}}
		}), wantErr: `invalid container port "x/tcp"`},
		{name: "bad protocol", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.PortBindings = nat.PortMap{"80/icmp": {{HostPort: "80"}}}
		}), wantErr: `invalid protocol "icmp"`},
		{name: "dns and hosts", req: req(func(c *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			c.Hostname = "web"
			h.DNS = []string{"10.0.0.1"}
			h.DNSSearch = []string{"example.com"}
			h.DNSOptions = []string{"ndots:2"}
			h.ExtraHosts = []string{"db:10.0.0.2", "gw:host-gateway"}
		}), want: spec(func(s *specgen.SpecGenerator) {
			s.Hostname = "web"
			s.DNSServers = []string{"10.0.0.1"}
			s.DNSSearch = []string{"example.com"}
			s.DNSOptions = []string{"ndots:2"}
			s.HostAdd = []string{"db:10.0.0.2", "gw:host-gateway"}
		})},
		{name: "empty dns lists of the CLI", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.DNS, h.DNSSearch, h.DNSOptions = []string{}, []string{}, []string{}
		}), want: spec(func(*specgen.SpecGenerator) {})},
		{name: "config mac address (API < 1.44)", apiVersion: "1.43", req: req(func(c *container.Config, _ *container.HostConfig, _ *network.NetworkingConfig) {
			c.MacAddress = "92:d0:c6:0a:29:33" //nolint:staticcheck // the deprecated field is what old clients send
		}), want: spec(func(s *specgen.SpecGenerator) { s.MacAddress = "92:d0:c6:0a:29:33" })},
		{name: "compose v2 endpoint", req: req(func(c *container.Config, h *container.HostConfig, nc *network.NetworkingConfig) {
			h.NetworkMode = "p_default"
			nc.EndpointsConfig = map[string]*network.EndpointSettings{"p_default": {Aliases: []string{"p-web-1", "web"}}}
		}), want: spec(func(s *specgen.SpecGenerator) {
			s.NetworkMode = "p_default"
			s.Networks = map[string]specgen.NetworkAttachment{"p_default": {Aliases: []string{"p-web-1", "web"}}}
		})},
		{name: "several endpoints, static addresses and mac", req: req(func(c *container.Config, h *container.HostConfig, nc *network.NetworkingConfig) {
			h.NetworkMode = "front"
			nc.EndpointsConfig = map[string]*network.EndpointSettings{
				"front": {IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: "10.89.0.5", IPv6Address: "fd00::5"}, MacAddress: "92:d0:c6:0a:29:33"},
				"back":  {Aliases: []string{"api"}},
			}
		}), want: spec(func(s *specgen.SpecGenerator) {
			s.NetworkMode = "front"
			s.Networks = map[string]specgen.NetworkAttachment{
				"front": {StaticIPs: []string{"10.89.0.5", "fd00::5"}, StaticMAC: "92:d0:c6:0a:29:33"},
				"back":  {Aliases: []string{"api"}},
			}
		})},
		{name: "several endpoints before API 1.44", apiVersion: "1.43", req: req(eps(map[string]*network.EndpointSettings{"a": {}, "b": {}})),
			wantErr: "Container cannot be connected to network endpoints: a, b"},
		{name: "the CLI's empty default endpoint", req: req(func(_ *container.Config, h *container.HostConfig, nc *network.NetworkingConfig) {
			h.NetworkMode = "default"
			nc.EndpointsConfig = map[string]*network.EndpointSettings{"default": {}}
		}), want: spec(func(*specgen.SpecGenerator) {})},
		{name: "mac on the default bridge", req: req(eps(map[string]*network.EndpointSettings{"bridge": {MacAddress: "92:d0:c6:0a:29:33"}})),
			want: spec(func(s *specgen.SpecGenerator) { s.MacAddress = "92:d0:c6:0a:29:33" })},
		{name: "alias on the default bridge", req: req(eps(map[string]*network.EndpointSettings{"bridge": {Aliases: []string{"a"}}})),
			wantErr: "aliases and static addresses are supported only on user-defined networks"},
		{name: "alias on host", req: req(func(_ *container.Config, h *container.HostConfig, nc *network.NetworkingConfig) {
			h.NetworkMode = "host"
			nc.EndpointsConfig = map[string]*network.EndpointSettings{"host": {Aliases: []string{"a"}}}
		}), wantErr: `NetworkingConfig.EndpointsConfig["host"]: a container on the host network has no endpoint to configure`},
		{name: "empty host endpoint", req: req(func(_ *container.Config, h *container.HostConfig, nc *network.NetworkingConfig) {
			h.NetworkMode = "host"
			nc.EndpointsConfig = map[string]*network.EndpointSettings{"host": nil}
		}), want: spec(func(s *specgen.SpecGenerator) { s.NetworkMode = "host" })},
		{name: "endpoint links", req: req(eps(map[string]*network.EndpointSettings{"n": {Links: []string{"db:db"}}})),
			wantErr: `NetworkingConfig.EndpointsConfig["n"].Links is not supported yet`},
		{name: "endpoint driver options", req: req(eps(map[string]*network.EndpointSettings{"n": {DriverOpts: map[string]string{"a": "b"}}})),
			wantErr: `NetworkingConfig.EndpointsConfig["n"].DriverOpts is not supported yet`},
		{name: "link-local addresses", req: req(eps(map[string]*network.EndpointSettings{"n": {IPAMConfig: &network.EndpointIPAMConfig{LinkLocalIPs: []string{"169.254.0.9"}}}})),
			wantErr: `NetworkingConfig.EndpointsConfig["n"].IPAMConfig.LinkLocalIPs is not supported yet`},
		{name: "reported fields echoed back", req: req(eps(map[string]*network.EndpointSettings{"n": {NetworkID: "abc", IPAddress: "10.0.0.9"}})),
			want: spec(func(s *specgen.SpecGenerator) { s.Networks = map[string]specgen.NetworkAttachment{"n": {}} })},
		{name: "links refused", req: req(func(_ *container.Config, h *container.HostConfig, _ *network.NetworkingConfig) {
			h.Links = []string{"db:db"}
		}),
			wantErr: "HostConfig.Links is not supported yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := specFromCreate(tt.apiVersion, "", tt.req)
			checkSpec(t, got, err, tt.want, tt.wantErr)
		})
	}
}
