package containers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// InspectCommand inspects containers or images; kind is "" (either,
// containers first, as Docker does), "container" or "image".
func InspectCommand(env *command.Env, kind string) *cobra.Command {
	var format, typ string
	var size bool
	cmd := &cobra.Command{
		Use:   "inspect [flags] NAME [NAME...]",
		Short: "Show low-level information on containers or images",
		Example: `  skiff inspect web
  skiff inspect --format '{{.State.Status}}' web
  skiff inspect --type image busybox`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if kind != "" {
				typ = kind
			}
			switch typ {
			case "", "container", "image":
			default:
				return command.Invalid("invalid --type %q: want container or image", typ)
			}
			eng, err := env.Engine(cmd.Context())
			if err != nil {
				return err
			}
			// As Docker: what was found is printed ([] when nothing was),
			// then the names that were not.
			items, missing, err := inspectAll(cmd.Context(), eng, args, typ, size)
			if err != nil {
				return err
			}
			if err := printInspect(format, items); err != nil {
				return err
			}
			return errors.Join(missing...)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "format output with a Go template or 'json'")
	cmd.Flags().BoolVarP(&size, "size", "s", false, "display total file sizes")
	if kind == "" {
		cmd.Flags().StringVar(&typ, "type", "", "only inspect objects of this type: container or image")
	}
	return cmd
}

// printInspect prints items as JSON (an empty array for none) or through
// format; a template with nothing to print prints an empty line, as
// Docker's does.
func printInspect(format string, items []any) error {
	if format == "" || report.IsJSON(format) {
		if items == nil {
			items = []any{}
		}
		out, err := json.MarshalIndent(items, "", "    ")
		if err != nil {
			return err
		}
		fmt.Println(string(out))
		return nil
	}
	if len(items) == 0 {
		fmt.Println()
		return nil
	}
	return printTemplate(format, items)
}

// printTemplate runs an inspect template on each item. Docker's templates
// name fields as the JSON does (.Id, .State.Status), so when the typed value
// lacks a field the template runs again on the item's JSON form.
func printTemplate(format string, items []any) error {
	var buf bytes.Buffer
	f, err := report.New(&buf, format, nil)
	if err != nil {
		return err
	}
	if err := f.Write(items...); err == nil {
		if err := f.Flush(); err != nil {
			return err
		}
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	generic := make([]any, 0, len(items))
	for _, it := range items {
		m, err := jsonForm(it)
		if err != nil {
			return err
		}
		generic = append(generic, m)
	}
	f, err = report.New(os.Stdout, format, nil)
	if err != nil {
		return err
	}
	if err := f.Write(generic...); err != nil {
		return err
	}
	return f.Flush()
}

func jsonForm(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// inspectAll describes each name: items for those found, missing for
// those that name nothing; any other error ends it.
func inspectAll(ctx context.Context, eng engine.Engine, names []string, typ string, size bool) (items []any, missing []error, err error) {
	for _, n := range names {
		item, err := inspectOne(ctx, eng, n, typ, size)
		switch {
		case err == nil:
			items = append(items, item)
		case errdefs.ClassOf(err) == errdefs.ClassNotFound:
			missing = append(missing, err)
		default:
			return nil, nil, err
		}
	}
	return items, missing, nil
}

// inspectOne describes a container or, when typ allows and no container
// has the name, an image.
func inspectOne(ctx context.Context, eng engine.Engine, name, typ string, size bool) (any, error) {
	if typ != "image" {
		c, err := eng.Containers().Inspect(ctx, []string{name}, engine.InspectOptions{Size: size})
		if err == nil {
			return c[0], nil
		}
		if typ == "container" || !errors.Is(err, errdefs.ErrNoSuchContainer) {
			return nil, err
		}
	}
	img, err := eng.Images().Inspect(ctx, []string{name})
	if err != nil {
		if typ == "" && errors.Is(err, errdefs.ErrNoSuchImage) {
			return nil, fmt.Errorf("%w: %q", errdefs.ErrNoSuchObject, name)
		}
		return nil, err
	}
	return img[0], nil
}

func existsCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "exists CONTAINER",
		Short:   "Exit 0 if the container exists, 1 if not",
		Example: `  skiff container exists web && echo there`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			ok, err := ctrs.Exists(cmd.Context(), args[0])
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

// cleanupCommand is what conmon runs when a container's process exits.
func cleanupCommand(env *command.Env) *cobra.Command {
	var opts engine.CleanupOptions
	cmd := &cobra.Command{
		Use:     "cleanup [flags] CONTAINER",
		Short:   "Clean up a container after its process exited (run by conmon)",
		Example: `  skiff container cleanup --rm 3f2a9c1d`,
		Hidden:  true,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Always the local engine: conmon inherits the service's
			// environment, whose CONTAINER_HOST or DOCKER_HOST may name
			// the very service that is about to exit.
			eng, err := env.LocalEngine(cmd.Context())
			if err != nil {
				return err
			}
			return eng.Containers().Cleanup(cmd.Context(), args[0], opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Remove, "rm", false, "remove the container")
	return cmd
}

// Commands are the container commands available at the top level.
func Commands(env *command.Env) []*cobra.Command {
	ps := psCommand(env)
	ps.Aliases = nil
	return []*cobra.Command{
		runCommand(env), createCommand(env), startCommand(env), stopCommand(env), killCommand(env),
		pauseCommand(env), unpauseCommand(env),
		restartCommand(env), rmCommand(env), ps, logsCommand(env), execCommand(env),
		attachCommand(env), waitCommand(env), InspectCommand(env, ""), renameCommand(env), portCommand(env),
		updateCommand(env),
	}
}

// Group is `skiff container …`, with Docker's aliases (ls, list).
func Group(env *command.Env) *cobra.Command {
	g := &cobra.Command{Use: "container", Short: "Manage containers", Args: cobra.NoArgs,
		Example: `  skiff container ls -a
  skiff container run --rm busybox echo hello
  skiff container prune -f`,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	g.AddCommand(
		runCommand(env), createCommand(env), startCommand(env), stopCommand(env), killCommand(env),
		pauseCommand(env), unpauseCommand(env),
		restartCommand(env), rmCommand(env), psCommand(env), logsCommand(env), execCommand(env),
		attachCommand(env), waitCommand(env), InspectCommand(env, "container"), existsCommand(env),
		cleanupCommand(env), renameCommand(env), pruneCommand(env), portCommand(env),
		updateCommand(env),
	)
	return g
}
