package system

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/api-compat/docker"
	"github.com/skiffcontainers/skiff/api-compat/native"
	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/version"
	"github.com/skiffcontainers/skiff/rootless"
	"github.com/skiffcontainers/skiff/systemd"
)

// socketGroup is the group that may use root's API socket, when it exists.
const socketGroup = "skiff"

// serviceOptions are `skiff system service`'s flags.
type serviceOptions struct {
	time        int
	tls         server.TLSFiles
	insecureTCP bool
}

func serviceCommand(env *command.Env) *cobra.Command {
	var o serviceOptions
	cmd := &cobra.Command{
		Use:   "service [flags] [URI]",
		Short: "Serve the Docker Engine API and skiff's API",
		Example: `  skiff system service --time 0
  skiff system service --time 60 unix:///tmp/skiff.sock
  skiff system service --tls-cert server.pem --tls-key server-key.pem --tls-client-ca ca.pem tcp://0.0.0.0:2376`,
		Long: `Serve the Docker Engine API and skiff's own API on URI until idle.

URI is unix:///path/to/socket (default: $XDG_RUNTIME_DIR/skiff/skiff.sock
for users, where without the variable skiff uses /run/user/$UID, else
/tmp/skiff-$UID; /run/skiff/skiff.sock for root) or
tcp://host:port with mutual TLS (--tls-cert, --tls-key, --tls-client-ca).
Plain TCP needs --insecure-tcp and a loopback address. Sockets passed by
systemd (LISTEN_FDS) take the place of URI.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runService(cmd.Context(), env, o, args)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.time, "time", "t", 5, "seconds without requests or streams before exiting (0: never)")
	f.StringVar(&o.tls.Cert, "tls-cert", "", "PEM certificate of the TCP listener")
	f.StringVar(&o.tls.Key, "tls-key", "", "PEM key of the TCP listener")
	f.StringVar(&o.tls.ClientCA, "tls-client-ca", "", "PEM CA that client certificates must be signed by")
	f.BoolVar(&o.insecureTCP, "insecure-tcp", false, "allow plain TCP (loopback addresses only)")
	return cmd
}

func runService(ctx context.Context, env *command.Env, o serviceOptions, args []string) error {
	if o.time < 0 {
		return command.Invalid("--time must be 0 (never exit) or a number of seconds, not %d", o.time)
	}
	if err := ensureLocal(); err != nil {
		return err
	}
	lopts := server.ListenOptions{TLS: o.tls, InsecureTCP: o.insecureTCP, SocketGID: -1}
	listeners, err := serviceListeners(lopts, args)
	if err != nil {
		return err
	}
	closeAll := func() {
		for _, l := range listeners {
			l.Close()
		}
	}
	// The service serves the local engine whatever CONTAINER_HOST,
	// DOCKER_HOST or a default connection say (they point at services).
	eng, err := env.LocalEngine(ctx)
	if err != nil {
		closeAll()
		return err
	}
	srv, err := server.New(server.Options{
		Handler: server.HandlerOptions{
			Docker: docker.Routes(eng), Native: native.Routes(eng), ServerVersion: version.Number,
		},
		Listeners: listeners,
		ExitAfter: time.Duration(o.time) * time.Second,
		Notify:    systemd.Notify,
	})
	if err != nil {
		closeAll()
		return err
	}
	for _, l := range listeners {
		logrus.Infof("api: serving on %s://%s", l.Addr().Network(), l.Addr())
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		// The first signal drains gracefully; a second one cuts it short.
		if _, ok := <-sigs; ok {
			cancel()
		}
		if _, ok := <-sigs; ok {
			srv.Close()
		}
	}()
	return srv.Serve(ctx)
}

// serviceListeners takes systemd's sockets when there are any (the URI is
// then ignored), else listens on the URI or the default socket.
func serviceListeners(lopts server.ListenOptions, args []string) ([]net.Listener, error) {
	if systemd.Activated() {
		ls, err := systemd.Listeners()
		if err != nil {
			return nil, err
		}
		if len(args) > 0 {
			logrus.Infof("api: using the sockets passed by systemd; ignoring %s", args[0])
		}
		return server.Adopt(ls, lopts)
	}
	uri := ""
	if len(args) > 0 {
		uri = args[0]
	} else {
		dir, err := rootless.RuntimeDir()
		if err != nil {
			return nil, err
		}
		uri = "unix://" + filepath.Join(dir, "skiff.sock")
	}
	ep, err := server.ParseURI(uri)
	if err != nil {
		return nil, err
	}
	if err := server.CheckEndpoint(ep, lopts); err != nil {
		return nil, err
	}
	if ep.Network == "unix" && !rootless.IsRootless() {
		if err := shareWithGroup(ep.Address, &lopts); err != nil {
			return nil, err
		}
	}
	l, err := server.Listen(ep, lopts)
	if err != nil {
		return nil, err
	}
	return []net.Listener{l}, nil
}

// shareWithGroup makes root's socket 0660 with group skiff when that group
// exists, and lets the group reach it through the default socket's
// directory.
func shareWithGroup(path string, lopts *server.ListenOptions) error {
	g, err := user.LookupGroup(socketGroup)
	if err != nil {
		var unknown user.UnknownGroupError
		if errors.As(err, &unknown) {
			return nil
		}
		return fmt.Errorf("looking up group %s: %w", socketGroup, err)
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		return fmt.Errorf("group %s has gid %q: %w", socketGroup, g.Gid, err)
	}
	lopts.SocketMode, lopts.SocketGID = 0o660, gid
	dir := filepath.Dir(path)
	if dir != "/run/skiff" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if err := os.Chown(dir, -1, gid); err != nil {
		return fmt.Errorf("giving %s to group %s: %w", dir, socketGroup, err)
	}
	return os.Chmod(dir, fi.Mode().Perm()|0o010)
}

// ensureLocal makes sure a rootless service runs inside skiff's user
// namespace. The namespace constructor skips command lines that look
// remote (CONTAINER_HOST or DOCKER_HOST set, e.g. exported for the
// service's own clients, or a --url flag); the service then re-executes
// itself, keeping its pid (so systemd's LISTEN_PID stays true), with the
// constructor told to join. The variables are dropped either way, so that
// nothing the service starts takes them for its own.
func ensureLocal() error {
	os.Unsetenv("CONTAINER_HOST")
	os.Unsetenv("DOCKER_HOST")
	if !rootless.IsRootless() || rootless.InNamespace() || os.Getenv(rootless.EnvForce) != "" {
		return nil
	}
	return rootless.JoinByReexec()
}
