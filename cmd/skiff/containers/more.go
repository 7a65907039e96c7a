package containers

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

func renameCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "rename CONTAINER NEW_NAME",
		Short: "Rename a container",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			return ctrs.Rename(cmd.Context(), args[0], engine.RenameOptions{NewName: args[1]})
		},
	}
}

func pruneCommand(env *command.Env) *cobra.Command {
	var filters command.Filters
	var force bool
	cmd := &cobra.Command{
		Use:   "prune [flags]",
		Short: "Remove all stopped containers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := ctrs.Prune(cmd.Context(), engine.PruneOptions{Filters: filters.Map()})
			if err != nil {
				return err
			}
			for _, id := range rep.Deleted {
				fmt.Println(id)
			}
			return nil
		},
	}
	cmd.Flags().Var(&filters, "filter", `provide filter values (e.g. "until=<timestamp>"; label, label!, until)`)
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not prompt for confirmation (skiff never prompts)")
	return cmd
}
