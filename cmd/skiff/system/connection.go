package system

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// connectionCommand is `skiff system connection …`: named services in
// the user's config directory (command.ConnectionsPath).
func connectionCommand() *cobra.Command {
	g := &cobra.Command{Use: "connection", Short: "Manage named connections to skiff services", Args: cobra.NoArgs,
		Example: `  skiff system connection add prod ssh://deploy@prod.example.com/run/user/1000/skiff/skiff.sock
  skiff --connection prod ps`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	g.AddCommand(connectionAddCommand(), connectionListCommand(), connectionRemoveCommand(), connectionDefaultCommand())
	return g
}

func connectionAddCommand() *cobra.Command {
	var identity string
	var makeDefault bool
	cmd := &cobra.Command{
		Use:   "add [flags] NAME URI",
		Short: "Record a named connection (the first one becomes the default)",
		Example: `  skiff system connection add prod ssh://deploy@prod.example.com/run/user/1000/skiff/skiff.sock --identity ~/.ssh/id_ed25519
  skiff system connection add --default local unix:///run/skiff/skiff.sock`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			conn := command.Connection{URI: args[1]}
			if identity != "" {
				abs, err := filepath.Abs(identity)
				if err != nil {
					return err
				}
				if _, err := os.Stat(abs); err != nil {
					return command.Invalid("identity file: %v", err)
				}
				conn.Identity = abs
			}
			conns, err := command.LoadConnections()
			if err != nil {
				return err
			}
			if err := conns.Add(args[0], conn, makeDefault); err != nil {
				return err
			}
			return conns.Save()
		},
	}
	cmd.Flags().StringVar(&identity, "identity", "", "ssh private key for ssh:// URIs")
	cmd.Flags().BoolVarP(&makeDefault, "default", "d", false, "make it the default connection")
	return cmd
}

// connectionRow is one line of `connection ls`.
type connectionRow struct {
	Name     string
	URI      string
	Identity string
	Default  bool
}

func connectionListCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "ls [flags]",
		Aliases: []string{"list"},
		Short:   "List named connections",
		Example: `  skiff system connection ls`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, err := command.LoadConnections()
			if err != nil {
				return err
			}
			f, err := report.NewWithOptions(os.Stdout, report.Options{
				Format:  format,
				Default: "table {{.Name}}\t{{.URI}}\t{{.Identity}}\t{{.Default}}",
			})
			if err != nil {
				return err
			}
			for _, n := range conns.Names() {
				c := conns.Connections[n]
				if err := f.Write(connectionRow{Name: n, URI: c.URI, Identity: c.Identity, Default: n == conns.Default}); err != nil {
					return err
				}
			}
			return f.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	return cmd
}

func connectionRemoveCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "rm NAME",
		Aliases: []string{"remove"},
		Short:   "Remove a named connection",
		Example: `  skiff system connection rm prod`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, err := command.LoadConnections()
			if err != nil {
				return err
			}
			if _, ok := conns.Connections[args[0]]; !ok {
				return command.Invalid("no connection named %q", args[0])
			}
			delete(conns.Connections, args[0])
			if conns.Default == args[0] {
				conns.Default = ""
			}
			return conns.Save()
		},
	}
}

func connectionDefaultCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "default NAME",
		Short:   "Make a connection the default (commands go to it unless told otherwise)",
		Example: `  skiff system connection default prod`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conns, err := command.LoadConnections()
			if err != nil {
				return err
			}
			if _, ok := conns.Connections[args[0]]; !ok {
				return command.Invalid("no connection named %q", args[0])
			}
			conns.Default = args[0]
			if err := conns.Save(); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "commands now go to %s unless --url, --connection or CONTAINER_HOST says otherwise\n", args[0])
			return nil
		},
	}
}
