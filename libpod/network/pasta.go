package network

import (
	"fmt"
	"net"
	"strings"

	"github.com/containers/common/libnetwork/pasta"
	"github.com/containers/common/libnetwork/types"
)

// PastaOptions say how to connect one container's namespace with pasta.
type PastaOptions struct {
	// NetNS is the namespace file pasta joins; pasta quits when it goes.
	NetNS string
	// Ports are published with pasta's own forwarding, which keeps the
	// client's source address.
	Ports []types.PortMapping
	// Options are the user's (--network pasta:opt,…), last so they win.
	Options []string
	// PidFile is where pasta writes its pid, for a teardown that does not
	// rely on the namespace file going away.
	PidFile string
	// TmpDir is skiff's volatile directory.
	TmpDir string
}

// Result is what a container's network setup gives its /etc files.
type Result struct {
	// IPs are the container's addresses.
	IPs []net.IP
	// DNSServers go first in the container's resolv.conf.
	DNSServers []string
	// HostAddress reaches the host from the container: the
	// host.containers.internal and host.docker.internal entry.
	HostAddress string
	// IPv6 says the container has IPv6 connectivity.
	IPv6 bool
}

// SetupPasta starts pasta for the namespace. pasta copies the host's
// addresses and routes into it and, with --map-gw, answers connections
// to the gateway address from the host's loopback: that address is what
// host.containers.internal names, so a server bound to 127.0.0.1 on the
// host is reachable from the container. DNS goes to pasta's forwarder.
func SetupPasta(o PastaOptions) (*Result, error) {
	extra := []string{"--map-gw", "--pid", o.PidFile}
	res, err := pasta.Setup(&pasta.SetupOptions{
		Config:       ContainersConfig(o.TmpDir),
		Netns:        o.NetNS,
		Ports:        o.Ports,
		ExtraOptions: append(extra, o.Options...),
	})
	if err != nil {
		return nil, fmt.Errorf("setting up pasta: %s", oneLine(err.Error()))
	}
	out := &Result{IPs: res.IPAddresses, DNSServers: res.DNSForwardIPs, IPv6: res.IPv6}
	if !hasOption(o.Options, "--no-map-gw") {
		if gw := defaultGateway(); gw != nil {
			out.HostAddress = gw.String()
		}
	}
	return out, nil
}

// oneLine folds pasta's multi-line messages into one.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func hasOption(opts []string, o string) bool {
	for _, x := range opts {
		if x == o {
			return true
		}
	}
	return false
}
