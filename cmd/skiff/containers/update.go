package containers

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// updateCommand is `skiff update`: new resource limits for containers,
// applied live to running ones.
func updateCommand(env *command.Env) *cobra.Command {
	var f resourceFlags
	cmd := &cobra.Command{
		Use:   "update [flags] CONTAINER [CONTAINER...]",
		Short: "Update the resource limits of one or more containers",
		Example: `  skiff update --memory 256m --cpus 1 web
  skiff update --pids-limit 100 web db`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var opts engine.UpdateOptions
			if err := f.resources(&opts.Resources); err != nil {
				return err
			}
			if !opts.Resources.HasCgroupLimits() {
				return command.Invalid("you must provide one or more flags when using this command")
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			for _, name := range args {
				if err := ctrs.Update(cmd.Context(), name, opts); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}
