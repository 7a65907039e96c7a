package local

import (
	"reflect"
	"testing"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func TestRequestedPorts(t *testing.T) {
	tests := []struct {
		name         string
		spec         specgen.SpecGenerator
		wantBindings nat.PortMap
		wantExposed  nat.PortSet
	}{
		{name: "none", wantBindings: nat.PortMap{}, wantExposed: nat.PortSet{}},
		{name: "fixed, random and a range", spec: specgen.SpecGenerator{PortMappings: []nettypes.PortMapping{
			{HostIP: "127.0.0.1", ContainerPort: 80, HostPort: 8080, Range: 1, Protocol: "tcp"},
			{ContainerPort: 53, Protocol: "udp"},
			{ContainerPort: 90, HostPort: 9090, Range: 2, Protocol: "tcp,udp"},
		}}, wantBindings: nat.PortMap{
			"80/tcp": {{HostIP: "127.0.0.1", HostPort: "8080"}},
			"53/udp": {{HostPort: ""}},
			"90/tcp": {{HostPort: "9090"}}, "91/tcp": {{HostPort: "9091"}},
			"90/udp": {{HostPort: "9090"}}, "91/udp": {{HostPort: "9091"}},
		}, wantExposed: nat.PortSet{"80/tcp": {}, "53/udp": {}, "90/tcp": {}, "91/tcp": {}, "90/udp": {}, "91/udp": {}}},
		{name: "expose", spec: specgen.SpecGenerator{Expose: []string{"80", "5000-5001/udp", "bad/x/y"}},
			wantBindings: nat.PortMap{}, wantExposed: nat.PortSet{"80/tcp": {}, "5000/udp": {}, "5001/udp": {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, e := requestedPorts(tt.spec)
			if !reflect.DeepEqual(b, tt.wantBindings) || !reflect.DeepEqual(e, tt.wantExposed) {
				t.Fatalf("got %v %v, want %v %v", b, e, tt.wantBindings, tt.wantExposed)
			}
		})
	}
}
