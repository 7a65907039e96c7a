package containers

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func execCommand(env *command.Env) *cobra.Command {
	var opts engine.ExecOptions
	var envs, envFiles []string
	var detachKeys string
	cmd := &cobra.Command{
		Use:   "exec [flags] CONTAINER COMMAND [ARG...]",
		Short: "Run a process in a running container",
		Example: `  skiff exec web cat /etc/hostname
  skiff exec -it web sh
  skiff exec -e DEBUG=1 -w /tmp web env`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Cmd = args[1:]
			for _, f := range envFiles {
				e, err := specgen.ParseEnvFile(f)
				if err != nil {
					return err
				}
				opts.Env = append(opts.Env, e...)
			}
			for _, e := range envs {
				if strings.Contains(e, "=") {
					opts.Env = append(opts.Env, e)
				} else if v, ok := os.LookupEnv(e); ok {
					opts.Env = append(opts.Env, e+"="+v)
				}
			}
			if cmd.Flags().Changed("detach-keys") {
				opts.DetachKeys = &detachKeys
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			if !opts.Detach {
				if err := checkExecTTY(cmd.Context(), ctrs, args[0], opts); err != nil {
					return err
				}
			}
			term, err := command.SetupTerminal(cmd.Context(), opts.Tty && opts.Interactive && !opts.Detach)
			if err != nil {
				return err
			}
			opts.InitialSize = term.Size
			opts.Streams = engine.Streams{Stdout: os.Stdout, Stderr: os.Stderr, Resize: term.Resize}
			if opts.Interactive {
				opts.Streams.Stdin = os.Stdin
			}
			rep, err := ctrs.Exec(cmd.Context(), args[0], opts)
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
	fs := cmd.Flags()
	fs.BoolVarP(&opts.Interactive, "interactive", "i", false, "keep stdin open")
	fs.BoolVarP(&opts.Tty, "tty", "t", false, "allocate a pseudo-TTY")
	fs.BoolVarP(&opts.Detach, "detach", "d", false, "run the process in the background")
	fs.StringArrayVarP(&envs, "env", "e", nil, "set environment variables")
	fs.StringArrayVar(&envFiles, "env-file", nil, "read environment variables from a file")
	fs.StringVarP(&opts.User, "user", "u", "", "user[:group] to run as")
	fs.StringVarP(&opts.WorkDir, "workdir", "w", "", "working directory inside the container")
	fs.BoolVar(&opts.Privileged, "privileged", false, "give extended privileges to the process")
	fs.StringVar(&detachKeys, "detach-keys", "", "key sequence to detach")
	return cmd
}

// checkExecTTY refuses -it without a terminal on stdin. A missing
// container is named first, as Docker's exec does; the lookup is made only
// when the terminal check fails, so the usual path pays nothing for it.
func checkExecTTY(ctx context.Context, ctrs engine.ContainerEngine, name string, opts engine.ExecOptions) error {
	ttyErr := command.CheckTTY(opts.Interactive, opts.Tty)
	if ttyErr == nil {
		return nil
	}
	if _, err := ctrs.Inspect(ctx, []string{name}, engine.InspectOptions{}); err != nil {
		return err
	}
	return ttyErr
}

func attachCommand(env *command.Env) *cobra.Command {
	var opts engine.AttachOptions
	var detachKeys string
	cmd := &cobra.Command{
		Use:   "attach [flags] CONTAINER",
		Short: "Attach to a running container's input and output",
		Example: `  skiff attach shell
  skiff attach --no-stdin web`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("detach-keys") {
				opts.DetachKeys = &detachKeys
			}
			insp, err := ctrs.Inspect(cmd.Context(), args, engine.InspectOptions{})
			if err != nil {
				return err
			}
			// As Docker's CLI: only a running container. The engine's
			// attach also takes a created one, for clients that attach
			// before they start it (docker run, start -a).
			if s := insp[0].State; !s.Running && !s.Paused {
				return fmt.Errorf("you cannot attach to a stopped container %s, start it first: %w", args[0], errdefs.ErrCtrNotRunning)
			}
			if err := command.CheckTTY(!opts.NoStdin, insp[0].Config.Tty); err != nil {
				return err
			}
			term, err := command.SetupTerminal(cmd.Context(), insp[0].Config.Tty && !opts.NoStdin)
			if err != nil {
				return err
			}
			defer term.Close()
			opts.Streams = engine.Streams{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Resize: term.Resize}
			return ctrs.Attach(cmd.Context(), args[0], opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoStdin, "no-stdin", false, "do not attach stdin")
	cmd.Flags().StringVar(&detachKeys, "detach-keys", "", "key sequence to detach")
	return cmd
}

func logsCommand(env *command.Env) *cobra.Command {
	var opts engine.LogsOptions
	var since, until, tail string
	cmd := &cobra.Command{
		Use:   "logs [flags] CONTAINER",
		Short: "Show a container's output",
		Example: `  skiff logs web
  skiff logs -f --tail 10 web
  skiff logs --since 10m -t web`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Since, err = command.ParseTime(since); err != nil {
				return command.Invalid("invalid --since %q: %v", since, err)
			}
			if opts.Until, err = command.ParseTime(until); err != nil {
				return command.Invalid("invalid --until %q: %v", until, err)
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			opts.Tail = engine.TailLines(tail)
			opts.Streams = engine.Streams{Stdout: os.Stdout, Stderr: os.Stderr}
			return ctrs.Logs(cmd.Context(), args[0], opts)
		},
	}
	fs := cmd.Flags()
	fs.BoolVarP(&opts.Follow, "follow", "f", false, "follow the output")
	fs.StringVarP(&tail, "tail", "n", "all", `number of lines to show from the end ("all" for all)`)
	fs.BoolVarP(&opts.Timestamps, "timestamps", "t", false, "show timestamps")
	fs.StringVar(&since, "since", "", "show logs since a timestamp or relative duration (e.g. 42m)")
	fs.StringVar(&until, "until", "", "show logs until a timestamp or relative duration")
	return cmd
}
