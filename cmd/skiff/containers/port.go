package containers

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/docker/go-connections/nat"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// portCommand is `skiff port CTR [PORT[/PROTO]]`, printing what inspect's
// NetworkSettings.Ports holds, in Docker's format.
func portCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "port CONTAINER [PRIVATE_PORT[/PROTO]]",
		Short: "List port mappings or a specific mapping for the container",
		Example: `  skiff port web
  skiff port web 80/tcp`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var want nat.Port
			if len(args) == 2 {
				proto, port := nat.SplitProtoPort(args[1])
				if _, err := strconv.ParseUint(port, 10, 16); err != nil {
					return command.Invalid("invalid port %q: want PORT[/PROTO]", args[1])
				}
				want = nat.Port(port + "/" + proto)
			}
			eng, err := env.Engine(cmd.Context())
			if err != nil {
				return err
			}
			ctrs, err := eng.Containers().Inspect(cmd.Context(), args[:1], engine.InspectOptions{})
			if err != nil {
				return err
			}
			lines := portLines(ctrs[0].NetworkSettings.Ports, want)
			if want != "" && len(lines) == 0 {
				return errdefs.WithClass(errdefs.ClassNotFound, fmt.Sprintf("no public port '%s' published for %s", want, args[0]))
			}
			for _, l := range lines {
				fmt.Fprintln(cmd.OutOrStdout(), l)
			}
			return nil
		},
	}
}

// portLines are Docker's lines: "80/tcp -> 0.0.0.0:8080" for every
// binding, or only "0.0.0.0:8080" for the one port asked for.
func portLines(pm nat.PortMap, want nat.Port) []string {
	ports := make([]nat.Port, 0, len(pm))
	for p := range pm {
		if want == "" || p == want {
			ports = append(ports, p)
		}
	}
	nat.Sort(ports, func(a, b nat.Port) bool {
		if a.Int() != b.Int() {
			return a.Int() < b.Int()
		}
		return a.Proto() < b.Proto()
	})
	var out []string
	for _, p := range ports {
		for _, b := range pm[p] {
			addr := net.JoinHostPort(b.HostIP, b.HostPort)
			if want != "" {
				out = append(out, addr)
			} else {
				out = append(out, fmt.Sprintf("%s -> %s", p, addr))
			}
		}
	}
	return out
}

// displayPorts renders ps's PORTS column with Docker CLI's rules
// (DisplayablePorts): ports published to the same number, and exposed
// ones, fold into ranges per address and protocol ("0.0.0.0:9000-9002->
// 9000-9002/tcp", "443/tcp"); those published to another number follow,
// one each ("127.0.0.1:8080->80/tcp").
func displayPorts(ports []engine.Port) string {
	sorted := append([]engine.Port(nil), ports...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		switch {
		case a.PrivatePort != b.PrivatePort:
			return a.PrivatePort < b.PrivatePort
		case a.IP != b.IP:
			return a.IP < b.IP
		case a.PublicPort != b.PublicPort:
			return a.PublicPort < b.PublicPort
		}
		return a.Type < b.Type
	})
	type group struct{ first, last uint16 }
	groups := map[string]*group{}
	var keys, result, mappings []string
	for _, p := range sorted {
		key := p.Type
		if p.IP != "" {
			if p.PublicPort != p.PrivatePort {
				host := net.JoinHostPort(p.IP, strconv.Itoa(int(p.PublicPort)))
				mappings = append(mappings, fmt.Sprintf("%s->%d/%s", host, p.PrivatePort, p.Type))
				continue
			}
			key = p.IP + "/" + p.Type
		}
		g := groups[key]
		switch {
		case g == nil:
			groups[key] = &group{first: p.PrivatePort, last: p.PrivatePort}
			keys = append(keys, key)
		case p.PrivatePort == g.last+1:
			g.last = p.PrivatePort
		default:
			result = append(result, formGroup(key, g.first, g.last))
			groups[key] = &group{first: p.PrivatePort, last: p.PrivatePort}
		}
	}
	for _, key := range keys {
		result = append(result, formGroup(key, groups[key].first, groups[key].last))
	}
	return strings.Join(append(result, mappings...), ", ")
}

// formGroup is one folded range: "9000-9002/tcp" or, with an address,
// "0.0.0.0:9000-9002->9000-9002/tcp".
func formGroup(key string, first, last uint16) string {
	ip, proto, found := strings.Cut(key, "/")
	if !found {
		ip, proto = "", key
	}
	ports := strconv.Itoa(int(first))
	if first != last {
		ports = fmt.Sprintf("%s-%d", ports, last)
	}
	if ip != "" {
		ports = fmt.Sprintf("%s:%s->%s", ip, ports, ports)
	}
	return ports + "/" + proto
}
