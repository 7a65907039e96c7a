// Package images holds skiff's image commands: import, images/ls, rmi/rm,
// exists and inspect, each a constructor over the engine interface.
package images

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/cmd/skiff/containers"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/report"
)

func importCommand(env *command.Env) *cobra.Command {
	var opts engine.ImportOptions
	cmd := &cobra.Command{
		Use:   "import [flags] FILE|- [REFERENCE]",
		Short: "Create an image from a root filesystem tarball",
		Example: `  skiff import rootfs.tar localhost/base:1
  skiff import --change 'CMD ["sh"]' rootfs.tar localhost/busybox
  gzip -dc rootfs.tar.gz | skiff import - localhost/base:2`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			if len(args) == 2 {
				opts.Reference = args[1]
			}
			if opts.Source == "-" {
				tmp, err := spoolStdin()
				if err != nil {
					return err
				}
				defer os.Remove(tmp)
				opts.Source = tmp
			} else if _, err := os.Stat(opts.Source); err != nil {
				return command.Invalid("cannot read %s: %v", opts.Source, errors.Unwrap(err))
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := imgs.Import(cmd.Context(), opts)
			if err != nil {
				return err
			}
			fmt.Println("sha256:" + rep.ID)
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Changes, "change", "c", nil, "apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, …)")
	cmd.Flags().StringVarP(&opts.Message, "message", "m", "", "commit message for the image")
	return cmd
}

// spoolStdin copies a tarball from stdin to a temporary file, because the
// import path reads its source more than once.
func spoolStdin() (string, error) {
	f, err := os.CreateTemp("", "skiff-import-*.tar")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, os.Stdin); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("reading the tarball from stdin: %w", err)
	}
	return f.Name(), nil
}

var imageHeaders = map[string]string{
	"Repository": "REPOSITORY", "Tag": "TAG", "ID": "IMAGE ID", "CreatedSince": "CREATED",
	"CreatedAt": "CREATED AT", "Size": "SIZE", "Digest": "DIGEST",
}

func listCommand(env *command.Env) *cobra.Command {
	var opts engine.ImageListOptions
	var format string
	var quiet, noTrunc, digests bool
	var filters command.Filters
	cmd := &cobra.Command{
		Use:   "images [flags]",
		Short: "List images",
		Example: `  skiff images
  skiff images -q --filter dangling=true
  skiff images --format '{{.Repository}}:{{.Tag}} {{.Size}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Filters = filters.Map()
			if quiet && format == "" {
				format = "{{.ID}}"
			}
			table := "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
			if digests {
				table = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
			}
			f, err := report.NewWithOptions(os.Stdout, report.Options{Format: format, Default: table, Headers: imageHeaders})
			if err != nil {
				return err
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := imgs.List(cmd.Context(), opts)
			if err != nil {
				return err
			}
			warnBroken(os.Stderr, rep.Broken)
			list := rep.Images
			var rows []any
			for i := range list {
				tags := list[i].RepoTags
				if len(tags) == 0 {
					tags = []string{"<none>:<none>"}
				}
				for _, t := range tags {
					rows = append(rows, &imageRow{s: &list[i], tag: t, noTrunc: noTrunc})
				}
			}
			if err := f.Write(rows...); err != nil {
				return err
			}
			return f.Flush()
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "show all images")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only show image IDs")
	cmd.Flags().BoolVar(&noTrunc, "no-trunc", false, "do not truncate output")
	cmd.Flags().BoolVar(&digests, "digests", false, "show digests")
	cmd.Flags().StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	cmd.Flags().VarP(&filters, "filter", "f", "filter output based on conditions provided (dangling, label, before, since, reference, until)")
	return cmd
}

// warnBroken names, one line each, the images the list could not read,
// and how to get rid of them.
func warnBroken(w io.Writer, broken []engine.BrokenImage) {
	for _, b := range broken {
		id := report.TruncateID(strings.TrimPrefix(b.ID, "sha256:"))
		fmt.Fprintf(w, "WARNING: image %s is broken, left out of the list: %s (remove it with \"skiff rmi %s\")\n", id, b.Reason, id)
	}
}

// imageRow gives templates Docker's image field names.
type imageRow struct {
	s       *engine.ImageSummary
	tag     string
	noTrunc bool
}

func (r *imageRow) Repository() string {
	i := strings.LastIndex(r.tag, ":")
	if i < 0 {
		return r.tag
	}
	return r.tag[:i]
}
func (r *imageRow) Tag() string {
	i := strings.LastIndex(r.tag, ":")
	if i < 0 {
		return "<none>"
	}
	return r.tag[i+1:]
}
func (r *imageRow) ID() string {
	if r.noTrunc {
		return r.s.ID
	}
	return report.TruncateID(strings.TrimPrefix(r.s.ID, "sha256:"))
}
func (r *imageRow) CreatedSince() string {
	return units.HumanDuration(time.Since(time.Unix(r.s.Created, 0))) + " ago"
}
func (r *imageRow) CreatedAt() string {
	return time.Unix(r.s.Created, 0).Format("2006-01-02 15:04:05 -0700 MST")
}
func (r *imageRow) Size() string { return units.HumanSizeWithPrecision(float64(r.s.Size), 3) }

// Containers is how many containers use the image (N/A: not counted).
func (r *imageRow) Containers() string {
	if r.s.Containers < 0 {
		return "N/A"
	}
	return strconv.Itoa(r.s.Containers)
}

// SharedSize is the size of the layers other images share (N/A: not
// measured).
func (r *imageRow) SharedSize() string {
	if r.s.SharedSize < 0 {
		return "N/A"
	}
	return units.HumanSize(float64(r.s.SharedSize))
}

// UniqueSize is the size no other image shares.
func (r *imageRow) UniqueSize() string {
	if r.s.SharedSize < 0 {
		return "N/A"
	}
	return units.HumanSize(float64(r.s.Size - r.s.SharedSize))
}

// VirtualSize is Size, as in Docker's CLI since VirtualSize went away.
func (r *imageRow) VirtualSize() string { return units.HumanSize(float64(r.s.Size)) }

// MarshalJSON emits the fields `docker images --format json` prints, with
// the same values as the templates.
func (r *imageRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"Containers": r.Containers(), "CreatedAt": r.CreatedAt(), "CreatedSince": r.CreatedSince(),
		"Digest": r.Digest(), "ID": r.ID(), "Repository": r.Repository(), "SharedSize": r.SharedSize(),
		"Size": r.Size(), "Tag": r.Tag(), "UniqueSize": r.UniqueSize(), "VirtualSize": r.VirtualSize(),
	})
}

// Digest is the manifest digest the row's repository knows the image by.
func (r *imageRow) Digest() string {
	repo := r.Repository()
	for _, d := range r.s.RepoDigests {
		name, digest, ok := strings.Cut(d, "@")
		if ok && (name == repo || repo == "<none>") {
			return digest
		}
	}
	return "<none>"
}

func rmiCommand(env *command.Env) *cobra.Command {
	var opts engine.ImageRemoveOptions
	cmd := &cobra.Command{
		Use:   "rmi [flags] IMAGE [IMAGE...]",
		Short: "Remove one or more images",
		Example: `  skiff rmi localhost/myimage:1
  skiff rmi -f 3f2a9c1d5e7b`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !opts.All {
				return command.Invalid("requires at least 1 image name or ID (or --all)")
			}
			if len(args) > 0 && opts.All {
				return command.Invalid("--all and image names cannot be used together")
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			if opts.All {
				reports, err := imgs.Remove(cmd.Context(), nil, opts)
				printRemoved(reports)
				return err
			}
			// Name by name, as Docker's CLI: a failure does not stop the
			// rest, and under -f a missing image is only reported.
			var errs []error
			for _, name := range args {
				reports, err := imgs.Remove(cmd.Context(), []string{name}, opts)
				printRemoved(reports)
				switch {
				case err == nil:
				case opts.Force && errdefs.ClassOf(err) == errdefs.ClassNotFound:
					command.PrintError(err)
				default:
					errs = append(errs, err)
				}
			}
			return errors.Join(errs...)
		},
	}
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "remove the image even if containers use it")
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "remove all images")
	return cmd
}

// printRemoved prints what rmi did, in Docker's words.
func printRemoved(reports []engine.ImageRemoveReport) {
	for _, r := range reports {
		for _, u := range r.Untagged {
			fmt.Println("Untagged: " + u)
		}
		if r.Deleted != "" {
			fmt.Println("Deleted: " + r.Deleted)
		}
	}
}

func existsCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "exists IMAGE",
		Short:   "Exit 0 if the image exists locally, 1 if not",
		Example: `  skiff image exists busybox || skiff pull busybox`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			ok, err := imgs.Exists(cmd.Context(), args[0])
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

// TopLevel are the image commands available at the top level.
func TopLevel(env *command.Env) []*cobra.Command {
	return []*cobra.Command{importCommand(env), listCommand(env), rmiCommand(env),
		pullCommand(env), pushCommand(env), saveCommand(env), loadCommand(env), tagCommand(env),
		untagCommand(env), historyCommand(env), loginCommand(), logoutCommand(),
		commitCommand(env), exportCommand(env), searchCommand(env), manifestGroup(env), diffCommand(env)}
}

// ContainerCommands are the image package's commands that Docker also
// has under `container`: commit, diff and export.
func ContainerCommands(env *command.Env) []*cobra.Command {
	return []*cobra.Command{commitCommand(env), diffCommand(env), exportCommand(env)}
}

// Group is `skiff image …`.
func Group(env *command.Env) *cobra.Command {
	g := &cobra.Command{Use: "image", Short: "Manage images", Args: cobra.NoArgs,
		Example: `  skiff image ls
  skiff image pull registry.example.com/library/busybox
  skiff image rm localhost/app:1`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	ls := listCommand(env)
	ls.Use, ls.Aliases = "ls [flags]", []string{"list"}
	rm := rmiCommand(env)
	rm.Use, rm.Aliases = "rm [flags] IMAGE [IMAGE...]", []string{"remove"}
	g.AddCommand(importCommand(env), ls, rm, existsCommand(env), containers.InspectCommand(env, "image"),
		pullCommand(env), pushCommand(env), saveCommand(env), loadCommand(env), tagCommand(env),
		untagCommand(env), historyCommand(env), pruneCommand(env), diffCommand(env))
	return g
}
