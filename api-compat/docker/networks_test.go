package docker

import (
	"errors"
	"testing"

	"github.com/docker/docker/api/types/network"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestNetworkCreateOptions(t *testing.T) {
	yes, no := true, false
	req := network.CreateRequest{Name: "n", CheckDuplicate: &no, CreateOptions: network.CreateOptions{
		Driver: "bridge", Internal: true, EnableIPv6: &yes, Labels: map[string]string{"a": "b"},
		IPAM: &network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.120.0.0/24", Gateway: "10.120.0.1"},
			{Subnet: "fd00:1::/64"}}},
		Options: map[string]string{"com.docker.network.driver.mtu": "1400", "com.docker.network.bridge.name": "br9",
			"com.docker.network.bridge.enable_icc": "true", "isolate": "true"},
	}}
	opts, warnings, err := networkCreateOptions(req)
	if err != nil {
		t.Fatal(err)
	}
	if !opts.Internal || !opts.IPv6 || !opts.IgnoreIfExists || opts.Labels["a"] != "b" {
		t.Errorf("flags lost: %+v", opts)
	}
	if len(opts.Subnets) != 2 || opts.Gateways[0] != "10.120.0.1" || opts.Gateways[1] != "" {
		t.Errorf("IPAM config: subnets %v gateways %v", opts.Subnets, opts.Gateways)
	}
	if opts.Options["mtu"] != "1400" || opts.Options["isolate"] != "true" || opts.Options["com.docker.network.bridge.name"] != "br9" || len(opts.Options) != 3 {
		t.Errorf("options: %v, want mtu, isolate and the bridge name", opts.Options)
	}
	if len(warnings) != 1 {
		t.Errorf("warnings: %v, want one for enable_icc", warnings)
	}

	for _, bad := range []network.CreateRequest{
		{},
		{Name: "n", CreateOptions: network.CreateOptions{EnableIPv4: &no}},
		{Name: "n", CreateOptions: network.CreateOptions{Scope: "swarm"}},
		{Name: "n", CreateOptions: network.CreateOptions{Ingress: true}},
		{Name: "n", CreateOptions: network.CreateOptions{ConfigFrom: &network.ConfigReference{Network: "x"}}},
		{Name: "n", CreateOptions: network.CreateOptions{IPAM: &network.IPAM{Driver: "dhcp"}}},
		{Name: "n", CreateOptions: network.CreateOptions{IPAM: &network.IPAM{Config: []network.IPAMConfig{{Gateway: "10.0.0.1"}}}}},
	} {
		if _, _, err := networkCreateOptions(bad); !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Errorf("networkCreateOptions(%+v): err = %v, want invalid", bad, err)
		}
	}
}
