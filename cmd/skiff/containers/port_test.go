package containers

import (
	"reflect"
	"testing"

	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

func TestDisplayPorts(t *testing.T) {
	cases := []struct {
		name  string
		ports []engine.Port
		want  string
	}{
		{"none", nil, ""},
		{"one", []engine.Port{{IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp"}}, "0.0.0.0:8080->80/tcp"},
		{"exposed", []engine.Port{{PrivatePort: 443, Type: "tcp"}, {IP: "127.0.0.1", PrivatePort: 80, PublicPort: 8080, Type: "tcp"}},
			"443/tcp, 127.0.0.1:8080->80/tcp"},
		{"range", []engine.Port{
			{IP: "0.0.0.0", PrivatePort: 8000, PublicPort: 9000, Type: "tcp"},
			{IP: "0.0.0.0", PrivatePort: 8001, PublicPort: 9001, Type: "tcp"},
			{IP: "0.0.0.0", PrivatePort: 8002, PublicPort: 9002, Type: "tcp"},
			{IP: "0.0.0.0", PrivatePort: 53, PublicPort: 5353, Type: "udp"},
		}, "0.0.0.0:9000-9002->8000-8002/tcp, 0.0.0.0:5353->53/udp"},
		{"ipv6", []engine.Port{{IP: "::1", PrivatePort: 80, PublicPort: 8080, Type: "tcp"}}, "[::1]:8080->80/tcp"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := displayPorts(tc.ports); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPortLines(t *testing.T) {
	pm := nat.PortMap{
		"80/tcp":  {{HostIP: "0.0.0.0", HostPort: "8080"}},
		"53/udp":  {{HostIP: "127.0.0.1", HostPort: "5353"}},
		"443/tcp": nil,
	}
	if got, want := portLines(pm, ""), []string{"53/udp -> 127.0.0.1:5353", "80/tcp -> 0.0.0.0:8080"}; !reflect.DeepEqual(got, want) {
		t.Errorf("all: got %q, want %q", got, want)
	}
	if got, want := portLines(pm, "80/tcp"), []string{"0.0.0.0:8080"}; !reflect.DeepEqual(got, want) {
		t.Errorf("80/tcp: got %q, want %q", got, want)
	}
	if got := portLines(pm, "443/tcp"); len(got) != 0 {
		t.Errorf("443/tcp: got %q, want nothing", got)
	}
}
