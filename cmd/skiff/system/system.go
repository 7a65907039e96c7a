// Package system holds skiff's host-wide commands: info and version.
package system

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/report"
	"github.com/skiffcontainers/skiff/pkg/version"
)

func infoCommand(env *command.Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "info [flags]",
		Short: "Show information about the host and skiff",
		Example: `  skiff info
  skiff info --format '{{.Host.RuntimeDir}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			eng, err := env.Engine(cmd.Context())
			if err != nil {
				return err
			}
			info, err := eng.System().Info(cmd.Context())
			if err != nil {
				return err
			}
			return printValue(format, info, func() { printInfo(info) })
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template or 'json'")
	return cmd
}

func versionCommand(env *command.Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version [flags]",
		Short: "Show skiff's version",
		Example: `  skiff version
  skiff version --format '{{.APIVersion}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version.Get()
			return printValue(format, &v, func() {
				fmt.Printf("Version:      %s\nAPI Version:  %s\nGo Version:   %s\nGit Commit:   %s\nBuilt:        %s\nOS/Arch:      %s\n",
					v.Version, v.APIVersion, v.GoVersion, v.GitCommit, v.Built, v.OsArch)
			})
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template or 'json'")
	return cmd
}

// printValue prints v as JSON, through a template, or with plain().
func printValue(format string, v any, plain func()) error {
	switch {
	case format == "":
		plain()
		return nil
	case report.IsJSON(format):
		out, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		fmt.Println(string(out))
		return nil
	}
	f, err := report.New(os.Stdout, format, nil)
	if err != nil {
		return err
	}
	if err := f.Write(v); err != nil {
		return err
	}
	return f.Flush()
}

// TopLevel are the system commands available at the top level.
func TopLevel(env *command.Env) []*cobra.Command {
	return []*cobra.Command{infoCommand(env), versionCommand(env)}
}

// Group is `skiff system …`.
func Group(env *command.Env) *cobra.Command {
	g := &cobra.Command{Use: "system", Short: "Manage skiff itself", Args: cobra.NoArgs,
		Example: `  skiff system info
  skiff system service --time 0
  skiff system connection ls`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	g.AddCommand(infoCommand(env), versionCommand(env), EventsCommand(env), serviceCommand(env), connectionCommand(), dialStdioCommand(env))
	return g
}
