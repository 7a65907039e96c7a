package libpod

import (
	"net"
	"reflect"
	"testing"

	nettypes "github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func TestBridgeOptions(t *testing.T) {
	c := &Container{ID: "abc", Name: "web", Config: ContainerConfig{Spec: specgen.SpecGenerator{
		NetworkMode: "front",
		MacAddress:  "92:d0:c6:0a:29:33",
		Networks: map[string]specgen.NetworkAttachment{
			"front": {Aliases: []string{"www"}, StaticIPs: []string{"10.100.0.9"}},
			"back":  {Aliases: []string{"api"}},
			"admin": {StaticMAC: "92:d0:c6:0a:29:34"},
		},
	}}}
	if got, want := c.BridgeNetworks(), []string{"front", "admin", "back"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("BridgeNetworks = %v, want %v", got, want)
	}
	all := []NetworkInfo{{Network: nettypes.Network{Name: "front", ID: "f1", Subnets: []nettypes.Subnet{{Subnet: mustCIDR(t, "10.100.0.0/24")}}}},
		{Network: nettypes.Network{Name: "back", ID: "b1"}}, {Network: nettypes.Network{Name: "admin", ID: "a1"}}}
	nets, err := specAttachments(c.Config.Spec, "front", all)
	if err != nil {
		t.Fatal(err)
	}
	opts := nettypes.NetworkOptions{Networks: nets}
	front := opts.Networks["front"]
	if front.InterfaceName != "eth0" || !reflect.DeepEqual(front.Aliases, []string{"www"}) ||
		len(front.StaticIPs) != 1 || !front.StaticIPs[0].Equal(net.ParseIP("10.100.0.9")) ||
		front.StaticMAC.String() != "92:d0:c6:0a:29:33" {
		t.Errorf("front = %+v", front)
	}
	if admin := opts.Networks["admin"]; admin.InterfaceName != "eth1" || admin.StaticMAC.String() != "92:d0:c6:0a:29:34" {
		t.Errorf("admin = %+v", admin)
	}
	if back := opts.Networks["back"]; back.InterfaceName != "eth2" || back.StaticMAC != nil {
		t.Errorf("back = %+v (the --mac-address is the first network's only)", back)
	}

	pasta := &Container{Config: ContainerConfig{Spec: specgen.SpecGenerator{NetworkMode: "pasta"}}}
	if got := pasta.BridgeNetworks(); got != nil {
		t.Errorf("pasta's bridge networks = %v", got)
	}
}

func TestBridgeResult(t *testing.T) {
	status := map[string]nettypes.StatusBlock{
		"bridge": {
			Interfaces: map[string]nettypes.NetInterface{"eth0": {Subnets: []nettypes.NetAddress{
				{IPNet: nettypes.IPNet{IPNet: net.IPNet{IP: net.ParseIP("10.99.0.5"), Mask: net.CIDRMask(16, 32)}}, Gateway: net.ParseIP("10.99.0.1")},
			}}},
		},
		"other": {
			Interfaces: map[string]nettypes.NetInterface{"eth1": {Subnets: []nettypes.NetAddress{
				{IPNet: nettypes.IPNet{IPNet: net.IPNet{IP: net.ParseIP("10.100.0.7"), Mask: net.CIDRMask(24, 32)}}, Gateway: net.ParseIP("10.100.0.1")},
			}}},
			DNSServerIPs: []net.IP{net.ParseIP("10.100.0.1")},
		},
	}
	res := bridgeResult(status, "bridge")
	if res.HostAddress != "10.99.0.1" {
		t.Errorf("host address = %q, want the primary network's gateway", res.HostAddress)
	}
	if len(res.IPs) != 2 || !res.IPs[0].Equal(net.ParseIP("10.99.0.5")) {
		t.Errorf("IPs = %v, want the primary network's first", res.IPs)
	}
	if !reflect.DeepEqual(res.DNSServers, []string{"10.100.0.1"}) || res.IPv6 {
		t.Errorf("DNS = %v, IPv6 = %v", res.DNSServers, res.IPv6)
	}
}

func TestNetworkModeOfOldContainers(t *testing.T) {
	for mode, want := range map[string]string{"": specgen.NetworkNone, "host": specgen.NetworkHost, "bridge": specgen.NetworkBridge, "bad mode": specgen.NetworkNone} {
		c := &Container{Config: ContainerConfig{Spec: specgen.SpecGenerator{NetworkMode: mode}}}
		if got := networkMode(c).Kind; got != want {
			t.Errorf("networkMode(%q) = %q, want %q", mode, got, want)
		}
	}
}

func mustCIDR(t *testing.T, s string) nettypes.IPNet {
	t.Helper()
	n, err := nettypes.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
