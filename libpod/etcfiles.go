package libpod

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/containers/common/libnetwork/etchosts"
	"github.com/containers/common/libnetwork/resolvconf"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

type etcFiles struct{ hosts, resolv, hostname string }

// writeEtcFiles prepares /etc/hosts, /etc/hostname and /etc/resolv.conf for
// the container in its bundle; they are bind-mounted, so the image's own
// files stay untouched, as with Docker. containers/common writes the hosts
// and resolv.conf files (the latter filtering the host's loopback name
// servers, systemd-resolved's 127.0.0.53 among them, when the container
// has a network namespace of its own). --no-hosts leaves the image's
// /etc/hosts in place.
func (r *Runtime) writeEtcFiles(c *Container, bundle string, plan netPlan) (etcFiles, error) {
	f := etcFiles{
		hosts:    filepath.Join(bundle, "hosts"),
		resolv:   filepath.Join(bundle, "resolv.conf"),
		hostname: filepath.Join(bundle, "hostname"),
	}
	spec := c.Config.Spec
	host := c.Config.Hostname
	if err := os.WriteFile(f.hostname, []byte(host+"\n"), 0o644); err != nil {
		return f, fmt.Errorf("writing %s: %w", f.hostname, err)
	}
	if spec.NoHosts {
		f.hosts = ""
	} else if err := writeHosts(c, f.hosts, plan); err != nil {
		return f, err
	}
	if err := writeResolvConf(spec, f.resolv, plan); err != nil {
		return f, err
	}
	return f, nil
}

// writeHosts writes the container's /etc/hosts: --add-host entries, the
// host's own file under host networking, localhost, the host's address
// (host.containers.internal and host.docker.internal; see hostAddress)
// and the container's addresses under its hostname and name.
func writeHosts(c *Container, path string, plan netPlan) error {
	params := &etchosts.Params{TargetFile: path, HostContainersInternalIP: hostAddress(plan)}
	for _, h := range c.Config.Spec.HostAdd {
		name, ip, _ := specgen.ParseHostAdd(h)
		if ip == specgen.HostGateway {
			ip = etchosts.HostGateway
		}
		params.ExtraHosts = append(params.ExtraHosts, name+":"+ip)
	}
	names := []string{c.Config.Hostname}
	if c.Name != "" && c.Name != c.Config.Hostname {
		names = append(names, c.Name)
	}
	switch {
	case plan.mode.Kind == specgen.NetworkHost:
		params.BaseFile = "/etc/hosts"
	case plan.result != nil && len(plan.result.IPs) > 0:
		for _, ip := range plan.result.IPs {
			params.ContainerIPs = append(params.ContainerIPs, etchosts.HostEntry{IP: ip.String(), Names: names})
		}
	default:
		// No address of its own (none, container:, ns:): the names still
		// resolve, as Docker's 127.0.1.1 convention has it.
		params.ContainerIPs = etchosts.HostEntries{{IP: "127.0.1.1", Names: names}}
	}
	if err := etchosts.New(params); err != nil {
		return fmt.Errorf("writing the container's /etc/hosts: %w", err)
	}
	return nil
}

// hostAddress is the address the container reaches the host at:
//   - pasta: the gateway address, which pasta (--map-gw) maps to the
//     host's loopback, so a server on the host's 127.0.0.1 answers;
//   - bridge (root): the bridge's gateway address, the host's own address
//     on the bridge: a server listening on 0.0.0.0 (or that address)
//     answers, one on 127.0.0.1 only does not;
//   - slirp4netns: its 10.0.2.2 gateway;
//   - host networking: 127.0.0.1.
//
// With none or a shared namespace there is none.
func hostAddress(plan netPlan) string {
	if plan.mode.Kind == specgen.NetworkHost {
		return "127.0.0.1"
	}
	if plan.result != nil {
		return plan.result.HostAddress
	}
	return ""
}

// writeResolvConf writes the container's resolv.conf from the host's,
// with the network's own DNS servers (pasta's forwarder, aardvark-dns)
// first, and --dns, --dns-search and --dns-option replacing the host's
// entries of their kind.
func writeResolvConf(spec specgen.SpecGenerator, path string, plan netPlan) error {
	params := &resolvconf.Params{
		Path: path, Nameservers: spec.DNSServers, Searches: spec.DNSSearch, Options: spec.DNSOptions,
	}
	if plan.mode.Kind != specgen.NetworkHost {
		// A namespace of its own: the host's loopback servers are
		// unreachable and are filtered out.
		params.Namespaces = []specs.LinuxNamespace{{Type: specs.NetworkNamespace, Path: plan.nsPath}}
	}
	if plan.result != nil {
		params.IPv6Enabled = plan.result.IPv6
		if len(spec.DNSServers) == 0 && len(plan.result.DNSServers) > 0 {
			params.Nameservers = plan.result.DNSServers
			params.KeepHostServers = true
		}
	}
	if err := resolvconf.New(params); err != nil {
		return fmt.Errorf("writing the container's resolv.conf: %w", err)
	}
	return nil
}
