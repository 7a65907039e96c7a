package system

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// EventsCommand is `skiff events`: the event log, as Docker prints it.
func EventsCommand(env *command.Env) *cobra.Command {
	var since, until, format string
	var filters command.Filters
	var stream bool
	cmd := &cobra.Command{
		Use:   "events [flags]",
		Short: "Show events from the engine",
		Example: `  skiff events
  skiff events --since 10m --until 0s --filter event=die
  skiff events --format '{{.Action}} {{.Actor.Attributes.name}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var opts engine.EventsOptions
			var err error
			if opts.Since, err = command.ParseTime(since); err != nil {
				return command.Invalid("invalid --since %q: %v", since, err)
			}
			if opts.Until, err = command.ParseTime(until); err != nil {
				return command.Invalid("invalid --until %q: %v", until, err)
			}
			opts.Filters = filters.Map()
			opts.Stream = stream
			print, err := eventPrinter(format)
			if err != nil {
				return err
			}
			eng, err := env.Engine(cmd.Context())
			if err != nil {
				return err
			}
			return eng.System().Events(cmd.Context(), opts, print)
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "show events created since this timestamp or relative time")
	cmd.Flags().StringVar(&until, "until", "", "stream events until this timestamp or relative time")
	cmd.Flags().VarP(&filters, "filter", "f", "filter output based on conditions provided (type, event, container, image, label, …)")
	cmd.Flags().StringVar(&format, "format", "", "format output with a Go template or 'json'")
	cmd.Flags().BoolVar(&stream, "stream", true, "keep streaming new events (stops at --until)")
	return cmd
}

func eventPrinter(format string) (func(engine.Event) error, error) {
	switch {
	case format == "":
		return func(ev engine.Event) error {
			t := time.Unix(0, ev.TimeNano).Format("2006-01-02T15:04:05.000000000Z07:00")
			fmt.Printf("%s %s %s %s (%s)\n", t, ev.Type, ev.Action, ev.Actor.ID, attrs(ev.Actor.Attributes))
			return nil
		}, nil
	case report.IsJSON(format):
		return func(ev engine.Event) error {
			out, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			fmt.Println(string(out))
			return nil
		}, nil
	}
	f, err := report.New(os.Stdout, format, nil)
	if err != nil {
		return nil, err
	}
	return func(ev engine.Event) error {
		if err := f.Write(ev); err != nil {
			return err
		}
		return f.Flush()
	}, nil
}

func attrs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ", ")
}
