package containers

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func runCommand(env *command.Env) *cobra.Command {
	var f specFlags
	var detach bool
	cmd := &cobra.Command{
		Use:   "run [flags] IMAGE [COMMAND [ARG...]]",
		Short: "Run a command in a new container",
		Example: `  skiff run --rm busybox echo hello
  skiff run -it --rm busybox sh
  skiff run -d --name web -v ./site:/www:ro busybox httpd -f -h /www
  skiff run --rm -e GREETING=hi --network none busybox sh -c 'echo $GREETING'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := f.spec(cmd.Flags(), args)
			if err != nil {
				return err
			}
			if !detach {
				if err := command.CheckTTY(spec.Stdin, spec.Terminal); err != nil {
					return err
				}
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			opts := engine.RunOptions{Spec: spec, Detach: detach, DetachKeys: f.detachKeysPtr(cmd.Flags())}
			if detach {
				rep, err := ctrs.Run(cmd.Context(), opts)
				if err != nil {
					return err
				}
				fmt.Println(rep.ID)
				return nil
			}
			term, err := command.SetupTerminal(cmd.Context(), spec.Terminal && spec.Stdin)
			if err != nil {
				return err
			}
			signals, stopSignals := command.ProxySignals(spec.Terminal)
			opts.InitialSize = term.Size
			opts.Streams = engine.Streams{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Resize: term.Resize, Signals: signals}
			rep, err := ctrs.Run(cmd.Context(), opts)
			stopSignals()
			term.Close()
			if err != nil {
				return err
			}
			if rep.ExitCode != 0 {
				return &errdefs.ExitError{Code: rep.ExitCode}
			}
			return nil
		},
	}
	cmd.Flags().SetInterspersed(false)
	f.register(cmd.Flags())
	cmd.Flags().BoolVarP(&detach, "detach", "d", false, "run in the background and print the container ID")
	f.groupFlags(cmd)
	command.GroupFlags(cmd, "Input and output", "detach")
	return cmd
}

func createCommand(env *command.Env) *cobra.Command {
	var f specFlags
	cmd := &cobra.Command{
		Use:   "create [flags] IMAGE [COMMAND [ARG...]]",
		Short: "Create a new container without starting it",
		Example: `  skiff create --name job busybox sh -c 'date; sleep 60'
  skiff create -it --name shell busybox sh`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := f.spec(cmd.Flags(), args)
			if err != nil {
				return err
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := ctrs.Create(cmd.Context(), engine.CreateOptions{Spec: spec})
			if err != nil {
				return err
			}
			fmt.Println(rep.ID)
			return nil
		},
	}
	cmd.Flags().SetInterspersed(false)
	f.register(cmd.Flags())
	f.groupFlags(cmd)
	return cmd
}
