package networks

import (
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/cmd/skiff/containers"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func inspectCommand(env *command.Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect [flags] NETWORK [NETWORK...]",
		Short: "Display detailed information on one or more networks",
		Example: `  skiff network inspect backend
  skiff network inspect --format '{{range .IPAM.Config}}{{.Subnet}}{{end}}' backend`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			// As Docker: what was found is printed, then what was not.
			var items []any
			var missing []error
			for _, name := range args {
				got, err := nets.Inspect(cmd.Context(), []string{name})
				switch {
				case err == nil:
					items = append(items, got[0])
				case errdefs.ClassOf(err) == errdefs.ClassNotFound:
					missing = append(missing, err)
				default:
					return err
				}
			}
			if err := containers.PrintInspect(format, items); err != nil {
				return err
			}
			return errors.Join(missing...)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template or 'json'")
	return cmd
}

func removeCommand(env *command.Env) *cobra.Command {
	var opts engine.NetworkRemoveOptions
	var timeout int
	cmd := &cobra.Command{
		Use:     "rm [flags] NETWORK [NETWORK...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more networks",
		Example: `  skiff network rm backend
  skiff network rm -f backend   # removes the containers on it too`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("time") {
				t := uint(max(timeout, 0))
				opts.Timeout = &t
			}
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			reports, err := nets.Remove(cmd.Context(), args, opts)
			if err != nil {
				return err
			}
			return command.ReportErrors(reports, func(r engine.ActionReport) { fmt.Println(r.RawInput) })
		},
	}
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "remove the containers on the network too")
	cmd.Flags().IntVarP(&timeout, "time", "t", 10, "seconds to wait for those containers to stop before killing them")
	return cmd
}

// pruneWarning is Docker's question before a network prune.
const pruneWarning = "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?"

func pruneCommand(env *command.Env) *cobra.Command {
	var force bool
	var filters command.Filters
	cmd := &cobra.Command{
		Use:   "prune [flags]",
		Short: "Remove all unused networks",
		Example: `  skiff network prune
  skiff network prune -f --filter until=24h --filter label=env=dev`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !force && !command.Confirm(os.Stdin, os.Stdout, pruneWarning) {
				return nil
			}
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			rep, err := nets.Prune(cmd.Context(), engine.NetworkPruneOptions{Filters: filters.Map()})
			if err != nil {
				return err
			}
			if len(rep.Deleted) > 0 {
				fmt.Println("Deleted Networks:")
				for _, name := range rep.Deleted {
					fmt.Println(name)
				}
				fmt.Println()
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not prompt for confirmation")
	cmd.Flags().Var(&filters, "filter", `provide filter values (e.g. "until=<timestamp>"; until, label, label!)`)
	return cmd
}

func connectCommand(env *command.Env) *cobra.Command {
	var opts engine.NetworkConnectOptions
	cmd := &cobra.Command{
		Use:   "connect [flags] NETWORK CONTAINER",
		Short: "Connect a container to a network",
		Example: `  skiff network connect backend web
  skiff network connect --alias api --ip 10.120.0.10 backend web`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Container = args[1]
			for flag, ip := range map[string]string{"--ip": opts.IPv4, "--ip6": opts.IPv6} {
				if ip != "" && net.ParseIP(ip) == nil {
					return command.Invalid("invalid %s %q: not an IP address", flag, ip)
				}
			}
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			return nets.Connect(cmd.Context(), args[0], opts)
		},
	}
	fs := cmd.Flags()
	fs.StringSliceVar(&opts.Aliases, "alias", nil, "add a network-scoped alias for the container")
	fs.StringVar(&opts.IPv4, "ip", "", "IPv4 address (e.g. 172.30.100.104)")
	fs.StringVar(&opts.IPv6, "ip6", "", "IPv6 address (e.g. 2001:db8::33)")
	return cmd
}

func disconnectCommand(env *command.Env) *cobra.Command {
	var opts engine.NetworkDisconnectOptions
	cmd := &cobra.Command{
		Use:     "disconnect [flags] NETWORK CONTAINER",
		Short:   "Disconnect a container from a network",
		Example: `  skiff network disconnect backend web`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Container = args[1]
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			return nets.Disconnect(cmd.Context(), args[0], opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "force the container to disconnect from a network")
	return cmd
}

func existsCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "exists NETWORK",
		Short:   "Exit 0 if the network exists, 1 if not",
		Example: `  skiff network exists backend || skiff network create backend`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			nets, err := networks(cmd.Context(), env)
			if err != nil {
				return err
			}
			ok, err := nets.Exists(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if !ok {
				return &errdefs.ExitError{Code: 1}
			}
			return nil
		},
	}
}
