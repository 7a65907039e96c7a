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

// displayPorts renders ps's PORTS column as Docker's CLI does:
// "0.0.0.0:8080->80/tcp, 443/tcp", consecutive ports folded into ranges
// ("0.0.0.0:9000-9002->8000-8002/tcp").
func displayPorts(ports []engine.Port) string {
	sorted := append([]engine.Port(nil), ports...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.IP != b.IP {
			return a.IP < b.IP
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.PublicPort != b.PublicPort {
			return a.PublicPort < b.PublicPort
		}
		return a.PrivatePort < b.PrivatePort
	})
	type group struct {
		p            engine.Port
		lastPriv     uint16
		lastPub, num uint16
	}
	var groups []group
	for _, p := range sorted {
		if n := len(groups); n > 0 {
			g := &groups[n-1]
			published := p.PublicPort != 0 && g.p.PublicPort != 0
			if g.p.IP == p.IP && g.p.Type == p.Type && p.PrivatePort == g.lastPriv+1 &&
				((published && p.PublicPort == g.lastPub+1) || (p.PublicPort == 0 && g.p.PublicPort == 0)) {
				g.lastPriv, g.lastPub, g.num = p.PrivatePort, p.PublicPort, g.num+1
				continue
			}
		}
		groups = append(groups, group{p: p, lastPriv: p.PrivatePort, lastPub: p.PublicPort, num: 1})
	}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		priv := portRange(g.p.PrivatePort, g.lastPriv)
		if g.p.PublicPort == 0 {
			parts = append(parts, priv+"/"+g.p.Type)
			continue
		}
		host := g.p.IP
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		parts = append(parts, fmt.Sprintf("%s:%s->%s/%s", host, portRange(g.p.PublicPort, g.lastPub), priv, g.p.Type))
	}
	return strings.Join(parts, ", ")
}

func portRange(first, last uint16) string {
	if first == last {
		return strconv.Itoa(int(first))
	}
	return fmt.Sprintf("%d-%d", first, last)
}
