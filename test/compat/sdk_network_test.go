package compat

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
)

// TestSDKCreateOnNetworks creates a container on two user networks in one
// call, as API 1.44 and later allow (compose v2 does so): NetworkMode names
// the first, NetworkingConfig gives both endpoints their aliases and the
// second a static address, and inspect shows all of it once it runs.
func TestSDKCreateOnNetworks(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
		defer cancel()
		cli := md.sdkClientFor(t)
		tag := uniqueName(t, "sdknet")
		front, back := tag+"-front", tag+"-back"
		// Subnets of their own (see composeTwoServices), and no other
		// case's allocation can take the static address.
		subnet := runSubnet(md.rootless)
		staticIP := strings.TrimSuffix(subnet, "0/24") + "42"
		for _, n := range []struct {
			name string
			ipam *network.IPAM
		}{
			{front, &network.IPAM{Config: []network.IPAMConfig{{Subnet: runSubnet(md.rootless)}}}},
			{back, &network.IPAM{Config: []network.IPAMConfig{{Subnet: subnet}}}},
		} {
			if _, err := cli.NetworkCreate(ctx, n.name, network.CreateOptions{IPAM: n.ipam}); err != nil {
				t.Fatalf("network create %s: %v", n.name, err)
			}
			t.Cleanup(func() { _ = cli.NetworkRemove(context.Background(), n.name) })
		}

		created, err := cli.ContainerCreate(ctx,
			&container.Config{Image: image, Cmd: []string{"sleep", "1000"}},
			&container.HostConfig{NetworkMode: container.NetworkMode(front)},
			&network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{
				front: {Aliases: []string{"fronty"}},
				back:  {Aliases: []string{"backy"}, IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: staticIP}},
			}}, nil, tag)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		t.Cleanup(func() {
			_ = cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
		})
		if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
			t.Fatalf("start: %v", err)
		}
		got, err := cli.ContainerInspect(ctx, created.ID)
		if err != nil {
			t.Fatalf("inspect: %v", err)
		}
		if got.HostConfig.NetworkMode != container.NetworkMode(front) {
			t.Errorf("HostConfig.NetworkMode = %q, want %s", got.HostConfig.NetworkMode, front)
		}
		nets := got.NetworkSettings.Networks
		if len(nets) != 2 || nets[front] == nil || nets[back] == nil {
			t.Fatalf("networks %v, want %s and %s", nets, front, back)
		}
		if !slices.Contains(nets[front].Aliases, "fronty") || !slices.Contains(nets[back].Aliases, "backy") {
			t.Errorf("aliases: %s %v, %s %v", front, nets[front].Aliases, back, nets[back].Aliases)
		}
		if nets[front].IPAddress == "" {
			t.Errorf("%s: no address", front)
		}
		if nets[back].IPAddress != staticIP {
			t.Errorf("%s: address %q, want the static %s", back, nets[back].IPAddress, staticIP)
		}
	})
}

// runSubnet is a /24 no other case of this run uses: 10.X.Y.0/24 with X
// from the process (100-149 as root, 150-199 rootless) and Y from the
// run's name sequence.
func runSubnet(rootless bool) string {
	octet := 100 + os.Getpid()%50
	if rootless {
		octet += 50
	}
	return fmt.Sprintf("10.%d.%d.0/24", octet, nameSeq.Add(1)%250)
}
