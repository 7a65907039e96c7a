package volumes

import (
	"errors"
	"fmt"
	"io"
	"os"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/cmd/skiff/containers"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func inspectCommand(env *command.Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "inspect [flags] VOLUME [VOLUME...]",
		Short: "Display detailed information on one or more volumes",
		Example: `  skiff volume inspect data
  skiff volume inspect --format '{{.Mountpoint}}' data`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			// As Docker: what was found is printed, then what was not.
			var items []any
			var missing []error
			for _, name := range args {
				got, err := vols.Inspect(cmd.Context(), []string{name})
				switch {
				case err == nil:
					items = append(items, got[0])
				case errdefs.ClassOf(err) == errdefs.ClassNotFound:
					missing = append(missing, err)
				default:
					return err
				}
			}
			if err := containers.PrintInspect(format, items); err != nil {
				return err
			}
			return errors.Join(missing...)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template or 'json'")
	return cmd
}

func removeCommand(env *command.Env) *cobra.Command {
	var opts engine.VolumeRemoveOptions
	var timeout int
	cmd := &cobra.Command{
		Use:     "rm [flags] VOLUME [VOLUME...]",
		Aliases: []string{"remove"},
		Short:   "Remove one or more volumes",
		Example: `  skiff volume rm data
  skiff volume rm -f data   # removes the containers using it too`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("time") {
				t := uint(max(timeout, 0))
				opts.Timeout = &t
			}
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			reports, err := vols.Remove(cmd.Context(), args, opts)
			if err != nil {
				return err
			}
			return command.ReportErrors(reports, func(r engine.ActionReport) { fmt.Println(r.RawInput) })
		},
	}
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "remove the containers using the volume too")
	cmd.Flags().IntVarP(&timeout, "time", "t", 10, "seconds to wait for those containers to stop before killing them")
	return cmd
}

// Docker's questions before a volume prune.
const (
	pruneWarning    = "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?"
	pruneAllWarning = "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?"
)

func pruneCommand(env *command.Env) *cobra.Command {
	var force, all bool
	var filters command.Filters
	cmd := &cobra.Command{
		Use:   "prune [flags]",
		Short: "Remove unused local volumes",
		Long:  "Remove the anonymous local volumes no container uses; with --all, named ones too (as Docker 23 and later).",
		Example: `  skiff volume prune
  skiff volume prune -af --filter label=env=dev`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			question := pruneWarning
			if all {
				question = pruneAllWarning
			}
			if !force && !command.Confirm(os.Stdin, os.Stdout, question) {
				return nil
			}
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			rep, err := vols.Prune(cmd.Context(), engine.VolumePruneOptions{Filters: filters.Map(), All: all})
			if err != nil {
				return err
			}
			if len(rep.VolumesDeleted) > 0 {
				fmt.Println("Deleted Volumes:")
				for _, name := range rep.VolumesDeleted {
					fmt.Println(name)
				}
				fmt.Println()
			}
			fmt.Println("Total reclaimed space:", units.HumanSize(float64(rep.SpaceReclaimed)))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not prompt for confirmation")
	cmd.Flags().BoolVarP(&all, "all", "a", false, "remove all unused volumes, not just anonymous ones")
	cmd.Flags().Var(&filters, "filter", `provide filter values (e.g. "label=env=dev"; label, label!, until)`)
	return cmd
}

func existsCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "exists VOLUME",
		Short:   "Exit 0 if the volume exists, 1 if not",
		Example: `  skiff volume exists data || skiff volume create data`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			ok, err := vols.Exists(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if !ok {
				return &errdefs.ExitError{Code: 1}
			}
			return nil
		},
	}
}

func exportCommand(env *command.Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export [flags] VOLUME",
		Short: "Export a volume's content as a tar archive",
		Example: `  skiff volume export data > data.tar
  skiff volume export -o data.tar data`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out io.Writer = os.Stdout
			if output != "" {
				f, err := os.Create(output)
				if err != nil {
					return fmt.Errorf("creating the archive: %w", err)
				}
				defer f.Close()
				out = f
			}
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			return vols.Export(cmd.Context(), args[0], out)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to a file instead of standard output")
	return cmd
}

func importCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "import VOLUME FILE|-",
		Short: "Unpack a tar archive into a volume",
		Example: `  skiff volume import data data.tar
  skiff volume export data | skiff volume import copy -`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in io.Reader = os.Stdin
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return fmt.Errorf("opening the archive: %w", err)
				}
				defer f.Close()
				in = f
			}
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			return vols.Import(cmd.Context(), args[0], in)
		},
	}
}
