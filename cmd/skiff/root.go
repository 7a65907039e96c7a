package main

import (
	"context"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/cmd/skiff/containers"
	"github.com/skiffcontainers/skiff/cmd/skiff/images"
	"github.com/skiffcontainers/skiff/cmd/skiff/networks"
	"github.com/skiffcontainers/skiff/cmd/skiff/system"
	"github.com/skiffcontainers/skiff/cmd/skiff/volumes"
	"github.com/skiffcontainers/skiff/pkg/version"
	"github.com/skiffcontainers/skiff/rootless"
)

// rootCommand is the cobra root plus the engine its subcommands share.
type rootCommand struct {
	*cobra.Command
	env *command.Env
}

func newRootCommand() *rootCommand {
	env := &command.Env{}
	root := &cobra.Command{
		Use:   "skiff",
		Short: "Manage containers and images, rootless and without a daemon",
		Example: `  skiff run --rm busybox echo hello
  skiff ps -a
  skiff --url unix:///run/user/1000/skiff/skiff.sock images`,
		Version:       version.Number,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			level, err := logrus.ParseLevel(env.Global.LogLevel)
			if err != nil {
				return command.Invalid("invalid --log-level %q: %v", env.Global.LogLevel, err)
			}
			logrus.SetLevel(level)
			if level >= logrus.DebugLevel {
				logrus.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: "15:04:05.000000"})
			}
			return joinIfLocal(cmd.Context(), env)
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return command.Invalid("%v (see '%s --help')", err, c.CommandPath())
	})
	g := &env.Global
	pf := root.PersistentFlags()
	pf.StringVar(&g.GraphRoot, "root", "", "storage root directory")
	pf.StringVar(&g.RunRoot, "runroot", "", "storage state directory")
	pf.StringVar(&g.StorageDriver, "storage-driver", "", "storage driver (overlay, vfs)")
	pf.StringVar(&g.Runtime, "runtime", "", "OCI runtime: runc, crun or a path")
	pf.StringVar(&g.LogLevel, "log-level", "warn", "log level: debug, info, warn, error")
	remoteFlags(pf, g)

	root.AddCommand(containers.Commands(env)...)
	// commit, diff and export are image work that Docker also lists
	// under `container`.
	ctrGroup := containers.Group(env)
	ctrGroup.AddCommand(images.ContainerCommands(env)...)
	root.AddCommand(ctrGroup, images.Group(env), networks.Group(env), volumes.Group(env), system.Group(env))
	root.AddCommand(images.TopLevel(env)...)
	root.AddCommand(system.TopLevel(env)...)
	root.AddCommand(system.EventsCommand(env))
	command.AddNotImplemented(root)
	command.SetUsage(root)
	return &rootCommand{Command: root, env: env}
}

// joinIfLocal settles a rootless command that the namespace constructor
// left outside the user namespace because a remote variable is set: when
// the target turns out local after all (DOCKER_HOST names no skiff
// service), skiff re-executes itself into the namespace now, before the
// command has printed or read anything, with DOCKER_HOST dropped so the
// new process does not probe again.
func joinIfLocal(ctx context.Context, env *command.Env) error {
	if !rootless.SkippedForRemoteEnv() {
		return nil
	}
	t, err := env.Target(ctx)
	if err != nil || !t.Local() {
		return nil // a remote command; errors surface when it runs
	}
	return rootless.JoinByReexec("DOCKER_HOST")
}

// remoteFlags are the flags that send commands to a service. There is no
// -c for --connection: `import -c` is --change.
func remoteFlags(pf *pflag.FlagSet, g *command.GlobalOptions) {
	pf.StringVarP(&g.URL, "url", "H", "", "URI of a skiff service: unix:///path, tcp://host:port or ssh://[user@]host[:port][/socket]")
	pf.StringVar(&g.URL, "host", "", "same as --url")
	_ = pf.MarkHidden("host")
	pf.StringVar(&g.Connection, "connection", "", "name of a connection (see skiff system connection)")
	pf.StringVar(&g.TLSCert, "tls-cert", "", "client certificate for tcp:// services (mutual TLS)")
	pf.StringVar(&g.TLSKey, "tls-key", "", "key of the client certificate")
	pf.StringVar(&g.TLSCA, "tls-ca", "", "CA certificate that signed the service's certificate")
}

// Shutdown releases the engine if a command opened it.
func (r *rootCommand) Shutdown(ctx context.Context) {
	if err := r.env.Shutdown(ctx); err != nil {
		logrus.Debugf("shutting down engine: %v", err)
	}
}
