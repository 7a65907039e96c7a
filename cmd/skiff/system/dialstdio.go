package system

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/client"
)

// dialStdioCommand connects stdin and stdout to the local service socket.
// The ssh transport runs it on the remote host (as `docker system
// dial-stdio` does), so a client needs nothing there but skiff and sshd.
func dialStdioCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "dial-stdio",
		Short:   "Connect stdin and stdout to the service socket (used by ssh:// connections)",
		Example: `  skiff system dial-stdio`,
		Hidden:  true,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := client.DefaultSocketPath()
			if env.Global.URL != "" {
				u, err := client.ParseURI(env.Global.URL)
				if err != nil {
					return err
				}
				if u.Scheme != "unix" {
					return command.Invalid("dial-stdio connects to unix sockets only, not %s", env.Global.URL)
				}
				path = u.Path
			}
			conn, err := net.Dial("unix", path)
			if err != nil {
				return fmt.Errorf("connecting to the service: %w", err)
			}
			return splice(conn.(*net.UnixConn), os.Stdin, os.Stdout)
		},
	}
}

// splice copies in to conn and conn to out; our end of the input closes
// the socket's write half, and the service's end of its output finishes.
func splice(conn *net.UnixConn, in io.Reader, out io.Writer) error {
	defer conn.Close()
	go func() {
		_, _ = io.Copy(conn, in)
		_ = conn.CloseWrite()
	}()
	if _, err := io.Copy(out, conn); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}
