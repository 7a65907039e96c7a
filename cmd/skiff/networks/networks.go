package networks

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// Group is `skiff network …`.
func Group(env *command.Env) *cobra.Command {
	g := &cobra.Command{Use: "network", Short: "Manage networks", Args: cobra.NoArgs,
		Example: `  skiff network create backend
  skiff run -d --network backend --name db busybox httpd -f
  skiff network ls`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	g.AddCommand(createCommand(env), listCommand(env), inspectCommand(env), removeCommand(env),
		pruneCommand(env), connectCommand(env), disconnectCommand(env), existsCommand(env))
	return g
}

// networks opens the engine's network operations.
func networks(ctx context.Context, env *command.Env) (engine.NetworkEngine, error) {
	eng, err := env.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Networks(), nil
}

func createCommand(env *command.Env) *cobra.Command {
	var opts engine.NetworkCreateOptions
	var labels, driverOpts []string
	cmd := &cobra.Command{
		Use:   "create [flags] NETWORK",
		Short: "Create a network",
		Example: `  skiff network create backend
  skiff network create --subnet 10.120.0.0/24 --gateway 10.120.0.1 --label env=dev backend
  skiff network create --internal isolated`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			var err error
			if opts.Labels, err = keyValues("--label", labels); err != nil {
				return err
			}
			if opts.Options, err = keyValues("--opt", driverOpts); err != nil {
				return err
			}
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			rep, err := nets.Create(cmd.Context(), opts)
			if err != nil {
				return err
			}
			fmt.Println(rep.ID)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&opts.Driver, "driver", "d", "bridge", "driver to manage the network (bridge)")
	fs.StringArrayVar(&opts.Subnets, "subnet", nil, "subnet in CIDR format (repeatable)")
	fs.StringArrayVar(&opts.Gateways, "gateway", nil, "gateway of the subnet at the same position")
	fs.StringArrayVar(&opts.IPRanges, "ip-range", nil, "allocate container addresses from this CIDR of the subnet at the same position")
	fs.BoolVar(&opts.Internal, "internal", false, "restrict external access to the network")
	fs.BoolVar(&opts.IPv6, "ipv6", false, "enable IPv6 networking")
	fs.BoolVar(&opts.DisableDNS, "disable-dns", false, "do not resolve container names on the network")
	fs.StringArrayVar(&labels, "label", nil, "set metadata on the network (key=value)")
	fs.StringArrayVarP(&driverOpts, "opt", "o", nil, "set driver specific options (key=value)")
	return cmd
}

// keyValues parses repeated key=value flags; a bare key has an empty
// value, as Docker's --label takes it.
func keyValues(flag string, vals []string) (map[string]string, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(vals))
	for _, v := range vals {
		k, val, _ := strings.Cut(v, "=")
		if k == "" {
			return nil, command.Invalid("invalid %s %q: want key=value", flag, v)
		}
		out[k] = val
	}
	return out, nil
}

var listHeaders = map[string]string{
	"ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE", "IPv4": "IPV4",
	"IPv6": "IPV6", "Internal": "INTERNAL", "Labels": "LABELS", "CreatedAt": "CREATED AT",
}

func listCommand(env *command.Env) *cobra.Command {
	var opts engine.NetworkListOptions
	var filters command.Filters
	var format string
	var quiet, noTrunc bool
	cmd := &cobra.Command{
		Use:     "ls [flags]",
		Aliases: []string{"list"},
		Short:   "List networks",
		Example: `  skiff network ls
  skiff network ls --filter type=custom --format '{{.Name}} {{.Driver}}'
  skiff network ls -q --filter dangling=true`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Filters = filters.Map()
			if quiet && format == "" {
				format = "{{.ID}}"
			}
			f, err := report.NewWithOptions(os.Stdout, report.Options{
				Format: format, Default: "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}", Headers: listHeaders,
			})
			if err != nil {
				return err
			}
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			list, err := nets.List(cmd.Context(), opts)
			if err != nil {
				return err
			}
			rows := make([]any, 0, len(list))
			for i := range list {
				rows = append(rows, &networkRow{n: &list[i], noTrunc: noTrunc})
			}
			if err := f.Write(rows...); err != nil {
				return err
			}
			return f.Flush()
		},
	}
	fs := cmd.Flags()
	fs.VarP(&filters, "filter", "f", `provide filter values (e.g. "driver=bridge"; dangling, driver, id, label, name, scope, type)`)
	fs.StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	fs.BoolVarP(&quiet, "quiet", "q", false, "only display network IDs")
	fs.BoolVar(&noTrunc, "no-trunc", false, "do not truncate the output")
	return cmd
}

// networkRow gives templates the fields of Docker's `network ls`.
type networkRow struct {
	n       *engine.NetworkReport
	noTrunc bool
}

func (r *networkRow) ID() string {
	if r.noTrunc {
		return r.n.ID
	}
	return report.TruncateID(r.n.ID)
}
func (r *networkRow) Name() string      { return r.n.Name }
func (r *networkRow) Driver() string    { return r.n.Driver }
func (r *networkRow) Scope() string     { return r.n.Scope }
func (r *networkRow) IPv4() string      { return strconv.FormatBool(r.n.EnableIPv4) }
func (r *networkRow) IPv6() string      { return strconv.FormatBool(r.n.EnableIPv6) }
func (r *networkRow) Internal() string  { return strconv.FormatBool(r.n.Internal) }
func (r *networkRow) CreatedAt() string { return r.n.Created.String() }

// Labels is "k=v,…" sorted, as Docker prints them.
func (r *networkRow) Labels() string {
	out := make([]string, 0, len(r.n.Labels))
	for k, v := range r.n.Labels {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Label is one label's value.
func (r *networkRow) Label(key string) string { return r.n.Labels[key] }

// MarshalJSON emits the fields `docker network ls --format json` prints,
// with the same values as the templates.
func (r *networkRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"CreatedAt": r.CreatedAt(), "Driver": r.Driver(), "ID": r.ID(), "IPv4": r.IPv4(), "IPv6": r.IPv6(),
		"Internal": r.Internal(), "Labels": r.Labels(), "Name": r.Name(), "Scope": r.Scope(),
	})
}
