package images

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// manifestGroup is `skiff manifest …`: multi-platform image lists.
func manifestGroup(env *command.Env) *cobra.Command {
	g := &cobra.Command{Use: "manifest", Short: "Manage manifest lists (multi-platform images)", Args: cobra.NoArgs,
		Example: `  skiff manifest create localhost/app:1 localhost/app:1-amd64 localhost/app:1-arm64
  skiff manifest push localhost/app:1 docker://registry.example.com/app:1`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	g.AddCommand(manifestCreateCommand(env), manifestAddCommand(env), manifestInspectCommand(env),
		manifestPushCommand(env), manifestRmCommand(env))
	return g
}

func manifestCreateCommand(env *command.Env) *cobra.Command {
	var opts engine.ManifestAddOptions
	cmd := &cobra.Command{
		Use:   "create [flags] LIST [IMAGE...]",
		Short: "Create a manifest list, optionally holding images",
		Example: `  skiff manifest create localhost/app:1
  skiff manifest create localhost/app:1 localhost/app:1-amd64 localhost/app:1-arm64`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Images = args[1:]
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			id, err := imgs.ManifestCreate(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			fmt.Println(id)
			return nil
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "add every image of images that are lists themselves")
	return cmd
}

func manifestAddCommand(env *command.Env) *cobra.Command {
	var reg registryFlags
	var opts engine.ManifestAddOptions
	cmd := &cobra.Command{
		Use:   "add [flags] LIST IMAGE [IMAGE...]",
		Short: "Add images to a manifest list",
		Example: `  skiff manifest add localhost/app:1 docker://registry.example.com/app:1-arm64
  skiff manifest add --arch arm64 --variant v8 localhost/app:1 localhost/app:1-arm64`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Images = args[1:]
			opts.RegistryOptions = reg.resolve(cmd.Flags())
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			d, err := imgs.ManifestAdd(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			fmt.Println(d)
			return nil
		},
	}
	fs := cmd.Flags()
	reg.add(fs)
	fs.BoolVar(&opts.All, "all", false, "add every image of images that are lists themselves")
	fs.StringVar(&opts.OS, "os", "", "record this OS for the image")
	fs.StringVar(&opts.Arch, "arch", "", "record this architecture for the image")
	fs.StringVar(&opts.Variant, "variant", "", "record this architecture variant for the image")
	return cmd
}

func manifestInspectCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "inspect LIST",
		Short:   "Show a manifest list",
		Example: `  skiff manifest inspect localhost/app:1`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			raw, err := imgs.ManifestInspect(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, raw, "", "    "); err != nil {
				return err
			}
			buf.WriteByte('\n')
			_, err = buf.WriteTo(os.Stdout)
			return err
		},
	}
}

func manifestPushCommand(env *command.Env) *cobra.Command {
	var reg registryFlags
	var opts engine.PushOptions
	var digestFile string
	cmd := &cobra.Command{
		Use:     "push [flags] LIST [DESTINATION]",
		Short:   "Push a manifest list and all its images",
		Example: `  skiff manifest push localhost/app:1 docker://registry.example.com/app:1`,
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.Destination = args[1]
			}
			opts.RegistryOptions = reg.resolve(cmd.Flags())
			return pushWith(cmd, env, digestFile, func(ctx context.Context, imgs engine.ImageEngine) (*engine.PushReport, error) {
				return imgs.ManifestPush(ctx, args[0], opts, os.Stderr)
			})
		},
	}
	fs := cmd.Flags()
	reg.add(fs)
	fs.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress output")
	fs.StringVar(&digestFile, "digestfile", "", "write the digest of the pushed list to this file")
	return cmd
}

func manifestRmCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "rm LIST [LIST...]",
		Short:   "Remove manifest lists (not the images they name)",
		Example: `  skiff manifest rm localhost/app:1`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			reports, err := imgs.ManifestRemove(cmd.Context(), args)
			for _, r := range reports {
				for _, u := range r.Untagged {
					fmt.Println("Untagged: " + u)
				}
				if r.Deleted != "" {
					fmt.Println("Deleted: " + r.Deleted)
				}
			}
			return err
		},
	}
}
