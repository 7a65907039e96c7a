// Package system holds skiff's host-wide commands: info and version.
package system

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/system"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/dockerinfo"
	"github.com/skiffcontainers/skiff/pkg/engine"
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
			docker := dockerinfo.Info(info, time.Now())
			view := infoView{Info: &docker, Host: info.Host, Store: info.Store, Version: info.Version}
			return printValue(format, &docker, view, func() { printInfo(info) })
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template (Docker's fields, or skiff's .Host, .Store, .Version) or 'json' (Docker's shape)")
	return cmd
}

// infoView is what info's templates see: Docker's /info fields at the top
// ({{.ServerVersion}}, {{.Driver}}, as for docker info), and skiff's own,
// Podman-style, under Host, Store and Version ({{.Store.GraphRoot}}).
type infoView struct {
	*system.Info
	Host    engine.HostInfo
	Store   engine.StoreInfo
	Version engine.Version
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
			if format == "" {
				fmt.Printf("Version:      %s\nAPI Version:  %s\nGo Version:   %s\nGit Commit:   %s\nBuilt:        %s\nOS/Arch:      %s\n",
					v.Version, v.APIVersion, v.GoVersion, v.GitCommit, v.Built, v.OsArch)
				return nil
			}
			view, err := dockerVersion(cmd, env, v)
			if err != nil {
				return err
			}
			return printValue(format, view, view, nil)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template ({{.Client.Version}}, {{.Server.Version}}) or 'json'")
	return cmd
}

// versionView is Docker CLI's version shape: the client, and the server
// in Docker's /version shape.
type versionView struct {
	Client clientVersion
	Server *types.Version
}

// clientVersion is the docker CLI's client section (its own type, not
// one of the Engine API's).
type clientVersion struct {
	Platform   struct{ Name string }
	Version    string
	APIVersion string `json:"ApiVersion"`
	GitCommit  string
	GoVersion  string
	Os         string
	Arch       string
	BuildTime  string `json:",omitempty"`
	Context    string
}

// dockerVersion fills the version view. The local engine is this very
// build, so its server section needs no engine (version runs outside the
// rootless namespace); a service is asked for its own.
func dockerVersion(cmd *cobra.Command, env *command.Env, v engine.Version) (*versionView, error) {
	osName, arch, _ := strings.Cut(v.OsArch, "/")
	view := &versionView{Client: clientVersion{
		Platform: struct{ Name string }{Name: "skiff"}, Version: v.Version, APIVersion: v.APIVersion,
		GitCommit: v.GitCommit, GoVersion: v.GoVersion, Os: osName, Arch: arch, BuildTime: v.Built, Context: "default",
	}}
	t, err := env.Target(cmd.Context())
	if err != nil {
		return nil, err
	}
	if t.Local() {
		server := dockerinfo.Version(&v, nil)
		view.Server = &server
		return view, nil
	}
	eng, err := env.Engine(cmd.Context())
	if err != nil {
		return nil, err
	}
	sv, err := eng.System().Version(cmd.Context())
	if err != nil {
		return nil, err
	}
	info, err := eng.System().Info(cmd.Context())
	if err != nil {
		return nil, err
	}
	server := dockerinfo.Version(sv, info)
	view.Server = &server
	return view, nil
}

// printValue prints asJSON for 'json' (one line, as Docker prints it),
// view through a template, or with plain() without a format.
func printValue(format string, asJSON, view any, plain func()) error {
	switch {
	case format == "":
		plain()
		return nil
	case report.IsJSON(format):
		out, err := json.Marshal(asJSON)
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
	if err := f.Write(view); err != nil {
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
