package images

import (
	"encoding/json"
	"fmt"
	"os"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// Docker's questions before an image prune.
const (
	pruneDanglingWarning = "WARNING! This will remove all dangling images.\nAre you sure you want to continue?"
	pruneAllWarning      = "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
)

func pruneCommand(env *command.Env) *cobra.Command {
	var opts engine.ImagePruneOptions
	var force bool
	var filters command.Filters
	cmd := &cobra.Command{
		Use:   "prune [flags]",
		Short: "Remove dangling images (with -a, every image no container uses)",
		Example: `  skiff image prune
  skiff image prune -a -f --filter until=24h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Filters = filters.Map()
			warning := pruneDanglingWarning
			if opts.All {
				warning = pruneAllWarning
			}
			if !force && !command.Confirm(os.Stdin, os.Stdout, warning) {
				return nil
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := imgs.Prune(cmd.Context(), opts)
			if err != nil {
				if rep != nil {
					printPrunedImages(rep.Deleted)
				}
				return err
			}
			printPrunedImages(rep.Deleted)
			fmt.Println("Total reclaimed space:", units.HumanSize(float64(rep.SpaceReclaimed)))
			return nil
		},
	}
	fs := cmd.Flags()
	fs.BoolVarP(&opts.All, "all", "a", false, "remove every image no container uses, not only dangling ones")
	fs.BoolVarP(&force, "force", "f", false, "do not prompt for confirmation")
	fs.Var(&filters, "filter", `provide filter values (e.g. "until=<timestamp>"; dangling, label, label!, until)`)
	return cmd
}

// printPrunedImages lists what a prune removed as Docker does: a heading,
// one "untagged:" or "deleted:" line per name and image, and a blank line.
func printPrunedImages(deleted []engine.ImageRemoveReport) {
	var lines []string
	for _, r := range deleted {
		for _, u := range r.Untagged {
			lines = append(lines, "untagged: "+u)
		}
		if r.Deleted != "" {
			lines = append(lines, "deleted: "+r.Deleted)
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Println("Deleted Images:")
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println()
}

var searchHeaders = map[string]string{
	"Index": "INDEX", "Name": "NAME", "Description": "DESCRIPTION", "Stars": "STARS",
	"Official": "OFFICIAL", "Automated": "AUTOMATED", "Tag": "TAG",
}

func searchCommand(env *command.Env) *cobra.Command {
	var reg registryFlags
	var opts engine.SearchOptions
	var format string
	cmd := &cobra.Command{
		Use:   "search [flags] TERM",
		Short: "Search a registry for images",
		Example: `  skiff search registry.example.com/library/busybox
  skiff search --limit 5 --format '{{.Name}}' quay.io/prometheus`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Term = args[0]
			opts.RegistryOptions = reg.resolve(cmd.Flags())
			if format == "" {
				format = "table {{.Name}}\t{{.Description}}"
				if opts.ListTags {
					format = "table {{.Name}}\t{{.Tag}}"
				}
			}
			f, err := report.New(os.Stdout, format, searchHeaders)
			if err != nil {
				return err
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			found, err := imgs.Search(cmd.Context(), opts)
			if err != nil {
				return err
			}
			rows := make([]any, 0, len(found))
			for i := range found {
				rows = append(rows, found[i])
			}
			if err := f.Write(rows...); err != nil {
				return err
			}
			return f.Flush()
		},
	}
	fs := cmd.Flags()
	reg.add(fs)
	fs.IntVar(&opts.Limit, "limit", 0, "at most this many results per registry")
	fs.BoolVar(&opts.ListTags, "list-tags", false, "list the tags of the named repository")
	fs.StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	return cmd
}

// diffCommand is `diff` (a container, else an image) and `image diff`.
func diffCommand(env *command.Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "diff [flags] CONTAINER|IMAGE",
		Short: "List the files a container (or an image's top layer) added, changed or deleted",
		Example: `  skiff diff web
  skiff diff --format json localhost/myimage:1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			changes, err := imgs.Diff(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if format == "json" {
				return json.NewEncoder(os.Stdout).Encode(changes)
			}
			for _, c := range changes {
				kind := "C"
				switch c.Kind {
				case 1:
					kind = "A"
				case 2:
					kind = "D"
				}
				fmt.Println(kind + " " + c.Path)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "json for Docker's changes shape")
	return cmd
}
