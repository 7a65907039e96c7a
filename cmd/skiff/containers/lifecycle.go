package containers

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

func printInput(r engine.ActionReport) { fmt.Println(r.RawInput) }

func startCommand(env *command.Env) *cobra.Command {
	var opts engine.StartOptions
	var detachKeys string
	cmd := &cobra.Command{
		Use:   "start [flags] CONTAINER [CONTAINER...]",
		Short: "Start one or more stopped containers",
		Example: `  skiff start web
  skiff start -ai shell`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("detach-keys") {
				opts.DetachKeys = &detachKeys
			}
			if !opts.Attach {
				reports, err := ctrs.Start(cmd.Context(), args, opts)
				if err != nil {
					return err
				}
				return command.ReportErrors(reports, printInput)
			}
			insp, err := ctrs.Inspect(cmd.Context(), args[:1], engine.InspectOptions{})
			if err != nil {
				return err
			}
			term, err := command.SetupTerminal(cmd.Context(), insp[0].Config.Tty && opts.Interactive)
			if err != nil {
				return err
			}
			defer term.Close()
			signals, stopSignals := command.ProxySignals(insp[0].Config.Tty)
			defer stopSignals()
			opts.InitialSize = term.Size
			opts.Streams = engine.Streams{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Resize: term.Resize, Signals: signals}
			reports, err := ctrs.Start(cmd.Context(), args, opts)
			if err != nil {
				return err
			}
			return command.ReportErrors(reports, nil)
		},
	}
	cmd.Flags().BoolVarP(&opts.Attach, "attach", "a", false, "attach stdout/stderr and forward signals")
	cmd.Flags().BoolVarP(&opts.Interactive, "interactive", "i", false, "attach the container's stdin")
	cmd.Flags().StringVar(&detachKeys, "detach-keys", "", "key sequence to detach")
	return cmd
}

func stopCommand(env *command.Env) *cobra.Command {
	var opts engine.StopOptions
	var timeout int
	cmd := &cobra.Command{
		Use:   "stop [flags] CONTAINER [CONTAINER...]",
		Short: "Stop one or more running containers",
		Example: `  skiff stop web
  skiff stop -t 30 web db
  skiff stop --all`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needNames(args, opts.All); err != nil {
				return err
			}
			if cmd.Flags().Changed("timeout") {
				if timeout < 0 {
					return command.Invalid("invalid --timeout %d: must not be negative", timeout)
				}
				t := uint(timeout)
				opts.Timeout = &t
			}
			return bulk(cmd, env, func(ctx context.Context, ctrs engine.ContainerEngine) ([]engine.ActionReport, error) {
				return ctrs.Stop(ctx, args, opts)
			}, printInput)
		},
	}
	cmd.Flags().IntVarP(&timeout, "timeout", "t", 10, "seconds to wait before killing the container (--time is the same)")
	command.AliasFlags(cmd.Flags(), map[string]string{"time": "timeout"})
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "stop all running containers")
	return cmd
}

func killCommand(env *command.Env) *cobra.Command {
	var opts engine.KillOptions
	cmd := &cobra.Command{
		Use:   "kill [flags] CONTAINER [CONTAINER...]",
		Short: "Send a signal to one or more running containers",
		Example: `  skiff kill web
  skiff kill -s HUP web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needNames(args, opts.All); err != nil {
				return err
			}
			return bulk(cmd, env, func(ctx context.Context, ctrs engine.ContainerEngine) ([]engine.ActionReport, error) {
				return ctrs.Kill(ctx, args, opts)
			}, printInput)
		},
	}
	cmd.Flags().StringVarP(&opts.Signal, "signal", "s", "KILL", "signal to send")
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "signal all running containers")
	return cmd
}

func pauseCommand(env *command.Env) *cobra.Command {
	var opts engine.PauseOptions
	cmd := &cobra.Command{
		Use:     "pause [flags] CONTAINER [CONTAINER...]",
		Short:   "Pause all processes within one or more containers",
		Example: `  skiff pause web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needNames(args, opts.All); err != nil {
				return err
			}
			return bulk(cmd, env, func(ctx context.Context, ctrs engine.ContainerEngine) ([]engine.ActionReport, error) {
				return ctrs.Pause(ctx, args, opts)
			}, printInput)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "pause all running containers")
	return cmd
}

func unpauseCommand(env *command.Env) *cobra.Command {
	var opts engine.UnpauseOptions
	cmd := &cobra.Command{
		Use:     "unpause [flags] CONTAINER [CONTAINER...]",
		Short:   "Unpause all processes within one or more containers",
		Example: `  skiff unpause web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needNames(args, opts.All); err != nil {
				return err
			}
			return bulk(cmd, env, func(ctx context.Context, ctrs engine.ContainerEngine) ([]engine.ActionReport, error) {
				return ctrs.Unpause(ctx, args, opts)
			}, printInput)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "unpause all paused containers")
	return cmd
}

func restartCommand(env *command.Env) *cobra.Command {
	var opts engine.RestartOptions
	var timeout int
	cmd := &cobra.Command{
		Use:   "restart [flags] CONTAINER [CONTAINER...]",
		Short: "Restart one or more containers",
		Example: `  skiff restart web
  skiff restart -t 0 web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needNames(args, opts.All); err != nil {
				return err
			}
			if cmd.Flags().Changed("timeout") {
				t := uint(timeout)
				opts.Timeout = &t
			}
			return bulk(cmd, env, func(ctx context.Context, ctrs engine.ContainerEngine) ([]engine.ActionReport, error) {
				return ctrs.Restart(ctx, args, opts)
			}, printInput)
		},
	}
	cmd.Flags().IntVarP(&timeout, "timeout", "t", 10, "seconds to wait before killing the container (--time is the same)")
	command.AliasFlags(cmd.Flags(), map[string]string{"time": "timeout"})
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "restart all containers")
	return cmd
}

func rmCommand(env *command.Env) *cobra.Command {
	var opts engine.RemoveOptions
	cmd := &cobra.Command{
		Use:     "rm [flags] CONTAINER [CONTAINER...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more containers",
		Example: `  skiff rm web
  skiff rm -f web db
  skiff rm -f $(skiff ps -aq)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needNames(args, opts.All); err != nil {
				return err
			}
			// Docker's rm -f says nothing about a name that is not there.
			opts.Ignore = opts.Ignore || opts.Force
			return bulk(cmd, env, func(ctx context.Context, ctrs engine.ContainerEngine) ([]engine.ActionReport, error) {
				return ctrs.Remove(ctx, args, opts)
			}, func(r engine.ActionReport) {
				if opts.All {
					fmt.Println(r.ID)
				} else {
					fmt.Println(r.RawInput)
				}
			})
		},
	}
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "force the removal of a running container (SIGKILL)")
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "remove all containers")
	cmd.Flags().BoolVarP(&opts.Volumes, "volumes", "v", false, "remove anonymous volumes of the container")
	cmd.Flags().BoolVarP(&opts.Ignore, "ignore", "i", false, "ignore errors when a container does not exist")
	return cmd
}

func waitCommand(env *command.Env) *cobra.Command {
	var opts engine.WaitOptions
	cmd := &cobra.Command{
		Use:   "wait [flags] CONTAINER [CONTAINER...]",
		Short: "Block until containers stop, then print their exit codes",
		Example: `  skiff wait web
  skiff wait --condition removed job`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			reports, err := ctrs.Wait(cmd.Context(), args, opts)
			if err != nil {
				return err
			}
			var last error
			for _, r := range reports {
				if r.Err != nil {
					last = r.Err
					continue
				}
				fmt.Println(r.ExitCode)
			}
			return last
		},
	}
	cmd.Flags().StringVar(&opts.Condition, "condition", "not-running", "condition to wait for: not-running, next-exit, removed")
	return cmd
}

// bulk runs one bulk engine action and reports each container's result the
// way Docker's bulk commands do.
func bulk(cmd *cobra.Command, env *command.Env, call func(context.Context, engine.ContainerEngine) ([]engine.ActionReport, error), printOK func(engine.ActionReport)) error {
	ctrs, err := env.Containers(cmd.Context())
	if err != nil {
		return err
	}
	reports, err := call(cmd.Context(), ctrs)
	if err != nil {
		return err
	}
	return command.ReportErrors(reports, printOK)
}

func needNames(args []string, all bool) error {
	if len(args) == 0 && !all {
		return command.Invalid("requires at least 1 container name or ID (or --all)")
	}
	if len(args) > 0 && all {
		return command.Invalid("--all and container names cannot be used together")
	}
	return nil
}
