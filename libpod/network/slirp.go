package network

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/containers/common/libnetwork/slirp4netns"
	"github.com/containers/common/libnetwork/types"
)

// SlirpOptions say how to connect one container's namespace with
// slirp4netns.
type SlirpOptions struct {
	ContainerID string
	NetNS       string
	Ports       []types.PortMapping
	// Options are the user's (--network slirp4netns:opt=value,…).
	Options []string
	// PidFile receives slirp4netns's pid: it does not watch the namespace
	// file, so teardown stops it by pid.
	PidFile string
	TmpDir  string
}

// SetupSlirp starts slirp4netns for the namespace. Published ports go
// through slirp4netns's own API (port_handler=slirp4netns): connections
// arrive from slirp's gateway, so the container does not see the client's
// source address (pasta keeps it; that is why pasta is the default).
// host.containers.internal is slirp's 10.0.2.2, which reaches the host's
// loopback only with allow_host_loopback=true.
func SetupSlirp(o SlirpOptions) (*Result, error) {
	for _, opt := range o.Options {
		if strings.HasPrefix(opt, "port_handler=") && opt != "port_handler=slirp4netns" {
			return nil, fmt.Errorf("slirp4netns option %s is not supported: skiff forwards ports with port_handler=slirp4netns", opt)
		}
	}
	opts := append([]string{"port_handler=slirp4netns"}, o.Options...)
	res, err := slirp4netns.Setup(&slirp4netns.SetupOptions{
		Config:       ContainersConfig(o.TmpDir),
		ContainerID:  o.ContainerID,
		Netns:        o.NetNS,
		Ports:        o.Ports,
		ExtraOptions: opts,
	})
	if err != nil {
		return nil, fmt.Errorf("setting up slirp4netns: %s", oneLine(err.Error()))
	}
	if err := os.WriteFile(o.PidFile, []byte(strconv.Itoa(res.Pid)), 0o600); err != nil {
		return nil, fmt.Errorf("recording slirp4netns's pid: %w", err)
	}
	out := &Result{IPv6: res.IPv6}
	if ip, err := slirp4netns.GetIP(res.Subnet); err == nil {
		out.IPs = append(out.IPs, *ip)
	}
	if dns, err := slirp4netns.GetDNS(res.Subnet); err == nil {
		out.DNSServers = []string{dns.String()}
	}
	if gw, err := slirp4netns.GetGateway(res.Subnet); err == nil {
		out.HostAddress = gw.String()
	}
	return out, nil
}
