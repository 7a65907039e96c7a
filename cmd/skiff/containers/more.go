package containers

import (
	"fmt"
	"os"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

func renameCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "rename CONTAINER NEW_NAME",
		Short:   "Rename a container",
		Example: `  skiff rename web web-old`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			return ctrs.Rename(cmd.Context(), args[0], engine.RenameOptions{NewName: args[1]})
		},
	}
}

// pruneWarning is Docker's question before a container prune.
const pruneWarning = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?"

func pruneCommand(env *command.Env) *cobra.Command {
	var filters command.Filters
	var force bool
	cmd := &cobra.Command{
		Use:   "prune [flags]",
		Short: "Remove all stopped containers",
		Example: `  skiff container prune
  skiff container prune -f --filter until=24h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !force && !command.Confirm(os.Stdin, os.Stdout, pruneWarning) {
				return nil
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := ctrs.Prune(cmd.Context(), engine.PruneOptions{Filters: filters.Map()})
			if err != nil {
				return err
			}
			printPruned(rep)
			return nil
		},
	}
	cmd.Flags().Var(&filters, "filter", `provide filter values (e.g. "until=<timestamp>"; label, label!, until)`)
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not prompt for confirmation")
	return cmd
}

// printPruned prints a prune's report as Docker does: the removed IDs under
// a heading and a blank line, then the space reclaimed.
func printPruned(rep *engine.PruneReport) {
	if len(rep.Deleted) > 0 {
		fmt.Println("Deleted Containers:")
		for _, id := range rep.Deleted {
			fmt.Println(id)
		}
		fmt.Println()
	}
	fmt.Println("Total reclaimed space:", units.HumanSize(float64(rep.SpaceReclaimed)))
}
