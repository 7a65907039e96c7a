package specgen

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseNetworkMode(t *testing.T) {
	cases := []struct {
		in      string
		want    NetworkMode
		wantErr string
	}{
		{in: "", want: NetworkMode{}},
		{in: "default", want: NetworkMode{}},
		{in: "none", want: NetworkMode{Kind: NetworkNone}},
		{in: "host", want: NetworkMode{Kind: NetworkHost}},
		{in: "pasta", want: NetworkMode{Kind: NetworkPasta}},
		{in: "pasta:--ipv4-only,-a,10.0.2.3", want: NetworkMode{Kind: NetworkPasta, Options: []string{"--ipv4-only", "-a", "10.0.2.3"}}},
		{in: "slirp4netns:allow_host_loopback=true", want: NetworkMode{Kind: NetworkSlirp, Options: []string{"allow_host_loopback=true"}}},
		{in: "container:web", want: NetworkMode{Kind: NetworkContainer, Target: "web"}},
		{in: "ns:/run/netns/x", want: NetworkMode{Kind: NetworkNS, Target: "/run/netns/x"}},
		{in: "bridge", want: NetworkMode{Kind: NetworkBridge, Target: "bridge"}},
		{in: "mynet", want: NetworkMode{Kind: NetworkBridge, Target: "mynet"}},
		{in: "pasta:", wantErr: "no options after the colon"},
		{in: "container:", wantErr: "want container:<name or ID>"},
		{in: "ns:relative", wantErr: "must be absolute"},
		{in: "host:x", wantErr: "invalid network mode"},
		{in: "-bad", wantErr: "invalid network mode"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseNetworkMode(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("err = %v, want %q (ErrInvalidArg)", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestParsePublish(t *testing.T) {
	cases := []struct {
		in      string
		want    []types.PortMapping
		wantErr string
	}{
		{in: "80", want: []types.PortMapping{{ContainerPort: 80, Protocol: "tcp", Range: 1}}},
		{in: "8080:80", want: []types.PortMapping{{HostPort: 8080, ContainerPort: 80, Protocol: "tcp", Range: 1}}},
		{in: "127.0.0.1:8080:80/udp", want: []types.PortMapping{{HostIP: "127.0.0.1", HostPort: 8080, ContainerPort: 80, Protocol: "udp", Range: 1}}},
		{in: "127.0.0.1::80", want: []types.PortMapping{{HostIP: "127.0.0.1", ContainerPort: 80, Protocol: "tcp", Range: 1}}},
		{in: "9000-9002:8000-8002", want: []types.PortMapping{{HostPort: 9000, ContainerPort: 8000, Protocol: "tcp", Range: 3}}},
		{in: "[::1]:8080:80", want: []types.PortMapping{{HostIP: "::1", HostPort: 8080, ContainerPort: 80, Protocol: "tcp", Range: 1}}},
		{in: "80/sctp", wantErr: "sctp is not supported"},
		{in: "x:80", wantErr: "invalid --publish"},
		{in: "9000-9001:80-82", wantErr: "invalid --publish"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParsePublish(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestResolvePorts(t *testing.T) {
	s := SpecGenerator{
		PortMappings: []types.PortMapping{{HostPort: 8080, ContainerPort: 80, Protocol: "tcp", Range: 1}},
		PublishAll:   true, Expose: []string{"53/udp", "9000-9001"},
	}
	got := s.ResolvePorts(ImageConfig{ExposedPorts: []string{"80/tcp", "443/tcp"}})
	want := []types.PortMapping{
		{HostPort: 8080, ContainerPort: 80, Protocol: "tcp", Range: 1},
		{ContainerPort: 53, Protocol: "udp", Range: 1},
		{ContainerPort: 443, Protocol: "tcp", Range: 1},
		{ContainerPort: 9000, Protocol: "tcp", Range: 1},
		{ContainerPort: 9001, Protocol: "tcp", Range: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestValidateNetwork(t *testing.T) {
	port := []types.PortMapping{{HostPort: 8080, ContainerPort: 80, Protocol: "tcp", Range: 1}}
	cases := []struct {
		name    string
		spec    SpecGenerator
		wantErr string
	}{
		{name: "ports on pasta", spec: SpecGenerator{NetworkMode: "pasta", PortMappings: port}},
		{name: "ports on default", spec: SpecGenerator{PortMappings: port}},
		{name: "ports on host", spec: SpecGenerator{NetworkMode: "host", PortMappings: port}, wantErr: `cannot publish ports with --network "host"`},
		{name: "publish all on none", spec: SpecGenerator{NetworkMode: "none", PublishAll: true}, wantErr: "cannot publish ports"},
		{name: "bad protocol", spec: SpecGenerator{PortMappings: []types.PortMapping{{ContainerPort: 80, Protocol: "icmp"}}}, wantErr: `protocol "icmp"`},
		{name: "zero port", spec: SpecGenerator{PortMappings: []types.PortMapping{{Protocol: "tcp"}}}, wantErr: "container port must be"},
		{name: "range overflow", spec: SpecGenerator{PortMappings: []types.PortMapping{{ContainerPort: 65535, Protocol: "tcp", Range: 2}}}, wantErr: "runs past 65535"},
		{name: "bad expose", spec: SpecGenerator{Expose: []string{"http"}}, wantErr: `invalid --expose "http"`},
		{name: "mac on bridge", spec: SpecGenerator{NetworkMode: "bridge", MacAddress: "92:d0:c6:0a:29:33"}},
		{name: "bad mac", spec: SpecGenerator{MacAddress: "xx"}, wantErr: `invalid MAC address "xx"`},
		{name: "mac on pasta", spec: SpecGenerator{NetworkMode: "pasta", MacAddress: "92:d0:c6:0a:29:33"}, wantErr: "--mac-address needs a bridge network"},
		{name: "ip on pasta", spec: SpecGenerator{NetworkMode: "pasta", Networks: map[string]NetworkAttachment{"bridge": {StaticIPs: []string{"10.99.0.9"}}}}, wantErr: "need a bridge network"},
		{name: "bad ip", spec: SpecGenerator{Networks: map[string]NetworkAttachment{"bridge": {StaticIPs: []string{"10.99.0"}}}}, wantErr: `invalid IP address "10.99.0"`},
		{name: "dns", spec: SpecGenerator{DNSServers: []string{"1.1.1.1", "::1"}, DNSSearch: []string{"example.com"}, DNSOptions: []string{"ndots:2"}}},
		{name: "bad dns", spec: SpecGenerator{DNSServers: []string{"dns.example"}}, wantErr: `invalid --dns "dns.example"`},
		{name: "dns with container", spec: SpecGenerator{NetworkMode: "container:x", DNSServers: []string{"1.1.1.1"}}, wantErr: "cannot be used with --network"},
		{name: "add-host", spec: SpecGenerator{HostAdd: []string{"db:10.0.0.2", "gw:host-gateway", "v6:[::1]", "eq=1.2.3.4"}}},
		{name: "bad add-host", spec: SpecGenerator{HostAdd: []string{"db"}}, wantErr: `invalid --add-host "db": want name:ip`},
		{name: "bad add-host ip", spec: SpecGenerator{HostAdd: []string{"db:nowhere"}}, wantErr: "neither an IP address nor host-gateway"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.spec.validateNetwork()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Fatalf("err = %v, want %q (ErrInvalidArg)", err, tc.wantErr)
			}
		})
	}
}
