package volumes

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// Group is `skiff volume …`.
func Group(env *command.Env) *cobra.Command {
	g := &cobra.Command{Use: "volume", Short: "Manage volumes", Args: cobra.NoArgs,
		Example: `  skiff volume create data
  skiff run --rm -v data:/data busybox sh -c 'echo hi > /data/f'
  skiff volume ls`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	g.AddCommand(createCommand(env), listCommand(env), inspectCommand(env), removeCommand(env),
		pruneCommand(env), existsCommand(env), exportCommand(env), importCommand(env))
	return g
}

// volumes opens the engine's volume operations.
func volumes(ctx context.Context, env *command.Env) (engine.VolumeEngine, error) {
	eng, err := env.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Volumes(), nil
}

func createCommand(env *command.Env) *cobra.Command {
	var opts engine.VolumeCreateOptions
	var labels, driverOpts []string
	cmd := &cobra.Command{
		Use:   "create [flags] [VOLUME]",
		Short: "Create a volume",
		Example: `  skiff volume create data
  skiff volume create --label env=dev -o type=tmpfs -o device=tmpfs -o o=size=64m scratch`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			var err error
			if opts.Labels, err = keyValues("--label", labels); err != nil {
				return err
			}
			if opts.Options, err = keyValues("--opt", driverOpts); err != nil {
				return err
			}
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			rep, err := vols.Create(cmd.Context(), opts)
			if err != nil {
				return err
			}
			fmt.Println(rep.Name)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&opts.Driver, "driver", "d", "local", "volume driver (local)")
	fs.StringArrayVar(&labels, "label", nil, "set metadata on the volume (key=value)")
	fs.StringArrayVarP(&driverOpts, "opt", "o", nil, "set driver options (type, device, o)")
	fs.BoolVar(&opts.IgnoreIfExists, "ignore", false, "do not fail when the volume exists already")
	return cmd
}

// keyValues parses repeated key=value flags; a bare key has an empty
// value, as Docker's --label takes it.
func keyValues(flag string, vals []string) (map[string]string, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(vals))
	for _, v := range vals {
		k, val, _ := strings.Cut(v, "=")
		if k == "" {
			return nil, command.Invalid("invalid %s %q: want key=value", flag, v)
		}
		out[k] = val
	}
	return out, nil
}

var listHeaders = map[string]string{
	"Name": "VOLUME NAME", "Driver": "DRIVER", "Scope": "SCOPE", "Mountpoint": "MOUNTPOINT",
	"Labels": "LABELS", "CreatedAt": "CREATED AT",
}

func listCommand(env *command.Env) *cobra.Command {
	var filters command.Filters
	var format string
	var quiet bool
	cmd := &cobra.Command{
		Use:     "ls [flags]",
		Aliases: []string{"list"},
		Short:   "List volumes",
		Example: `  skiff volume ls
  skiff volume ls --filter dangling=true -q
  skiff volume ls --format '{{.Name}} {{.Mountpoint}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if quiet && format == "" {
				format = "{{.Name}}"
			}
			f, err := report.NewWithOptions(os.Stdout, report.Options{
				Format: format, Default: "table {{.Driver}}\t{{.Name}}", Headers: listHeaders,
			})
			if err != nil {
				return err
			}
			vols, err := volumes(cmd.Context(), env)
			if err != nil {
				return err
			}
			list, err := vols.List(cmd.Context(), engine.VolumeListOptions{Filters: filters.Map()})
			if err != nil {
				return err
			}
			rows := make([]any, 0, len(list))
			for i := range list {
				rows = append(rows, &volumeRow{v: &list[i]})
			}
			if err := f.Write(rows...); err != nil {
				return err
			}
			return f.Flush()
		},
	}
	fs := cmd.Flags()
	fs.VarP(&filters, "filter", "f", `provide filter values (e.g. "dangling=true"; dangling, driver, label, name)`)
	fs.StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	fs.BoolVarP(&quiet, "quiet", "q", false, "only display volume names")
	return cmd
}

// volumeRow gives templates the fields of Docker's `volume ls`.
type volumeRow struct {
	v *engine.VolumeReport
}

func (r *volumeRow) Name() string       { return r.v.Name }
func (r *volumeRow) Driver() string     { return r.v.Driver }
func (r *volumeRow) Scope() string      { return r.v.Scope }
func (r *volumeRow) Mountpoint() string { return r.v.Mountpoint }
func (r *volumeRow) CreatedAt() string  { return r.v.CreatedAt }

// Labels is "k=v,…" sorted, as Docker prints them.
func (r *volumeRow) Labels() string {
	out := make([]string, 0, len(r.v.Labels))
	for k, v := range r.v.Labels {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Label is one label's value.
func (r *volumeRow) Label(key string) string { return r.v.Labels[key] }

// MarshalJSON emits the fields `docker volume ls --format json` prints
// (N/A where Docker has cluster-only ones), and CreatedAt.
func (r *volumeRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"Availability": "N/A", "CreatedAt": r.CreatedAt(), "Driver": r.Driver(), "Group": "N/A",
		"Labels": r.Labels(), "Links": "N/A", "Mountpoint": r.Mountpoint(), "Name": r.Name(),
		"Scope": r.Scope(), "Size": "N/A", "Status": "N/A",
	})
}
