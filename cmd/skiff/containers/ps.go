package containers

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/report"
)

const defaultPsFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"

var psHeaders = map[string]string{
	"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "RunningFor": "CREATED",
	"CreatedAt": "CREATED AT", "Status": "STATUS", "State": "STATE", "Ports": "PORTS", "Names": "NAMES",
	"Size": "SIZE", "Labels": "LABELS", "Mounts": "MOUNTS", "Networks": "NETWORKS", "Label": "LABEL",
}

func psCommand(env *command.Env) *cobra.Command {
	var opts engine.ListOptions
	var filters command.Filters
	var format string
	var quiet, noTrunc bool
	cmd := &cobra.Command{
		Use:     "ps [flags]",
		Aliases: []string{"ls", "list"},
		Short:   "List containers",
		Example: `  skiff ps
  skiff ps -a --filter status=exited
  skiff ps -aq
  skiff ps --format '{{.Names}}\t{{.Status}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Filters = filters.Map()
			if quiet && format == "" {
				format = "{{.ID}}"
			}
			table := defaultPsFormat
			if opts.Size {
				table += "\t{{.Size}}"
			}
			f, err := report.NewWithOptions(os.Stdout, report.Options{Format: format, Default: table, Headers: psHeaders})
			if err != nil {
				return err
			}
			ctrs, err := env.Containers(cmd.Context())
			if err != nil {
				return err
			}
			list, err := ctrs.List(cmd.Context(), opts)
			if err != nil {
				return err
			}
			items := make([]any, 0, len(list))
			for i := range list {
				items = append(items, &psRow{c: &list[i], noTrunc: noTrunc})
			}
			if err := f.Write(items...); err != nil {
				return err
			}
			return f.Flush()
		},
	}
	fs := cmd.Flags()
	fs.BoolVarP(&opts.All, "all", "a", false, "show all containers (default shows just running)")
	fs.BoolVarP(&quiet, "quiet", "q", false, "only display container IDs")
	fs.BoolVarP(&opts.Latest, "latest", "l", false, "show the latest created container")
	fs.IntVarP(&opts.Last, "last", "n", -1, "show the n last created containers")
	fs.VarP(&filters, "filter", "f", "filter output based on conditions provided (name, id, label, status, exited, ancestor, before, since, volume, network, health, is-task, publish, expose, isolation)")
	fs.StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	fs.BoolVar(&noTrunc, "no-trunc", false, "do not truncate output")
	fs.BoolVarP(&opts.Size, "size", "s", false, "display total file sizes")
	return cmd
}

// psRow gives templates Docker's ps field names.
type psRow struct {
	c       *engine.ListContainer
	noTrunc bool
}

func (r *psRow) ID() string {
	if r.noTrunc {
		return r.c.ID
	}
	return report.TruncateID(r.c.ID)
}
func (r *psRow) Image() string { return r.c.Image }
func (r *psRow) Command() string {
	cmd := r.c.Command
	if runes := []rune(cmd); !r.noTrunc && len(runes) > 20 {
		cmd = string(runes[:19]) + "…"
	}
	return strconv.Quote(cmd)
}
func (r *psRow) CreatedAt() string {
	return time.Unix(r.c.Created, 0).Format("2006-01-02 15:04:05 -0700 MST")
}
func (r *psRow) RunningFor() string {
	return units.HumanDuration(time.Since(time.Unix(r.c.Created, 0))) + " ago"
}
func (r *psRow) Ports() string  { return displayPorts(r.c.Ports) }
func (r *psRow) State() string  { return r.c.State }
func (r *psRow) Status() string { return r.c.Status }
func (r *psRow) Names() string {
	names := make([]string, len(r.c.Names))
	for i, n := range r.c.Names {
		names[i] = strings.TrimPrefix(n, "/")
	}
	return strings.Join(names, ",")
}

// Size is the writable layer's size, and the image's too when it was
// measured (ps -s), as Docker shows it.
func (r *psRow) Size() string {
	rw := units.HumanSizeWithPrecision(float64(r.c.SizeRw), 3)
	if r.c.SizeRootFs > 0 {
		return fmt.Sprintf("%s (virtual %s)", rw, units.HumanSizeWithPrecision(float64(r.c.SizeRootFs), 3))
	}
	return rw
}
func (r *psRow) Labels() string {
	keys := make([]string, 0, len(r.c.Labels))
	for k := range r.c.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + r.c.Labels[k]
	}
	return strings.Join(parts, ",")
}
func (r *psRow) Label(key string) string { return r.c.Labels[key] }
func (r *psRow) Mounts() string {
	var m []string
	for _, mp := range r.c.Mounts {
		m = append(m, mp.Destination)
	}
	return strings.Join(m, ",")
}
func (r *psRow) Networks() string {
	names := make([]string, 0, len(r.c.NetworkSettings.Networks))
	for n := range r.c.NetworkSettings.Networks {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// LocalVolumes counts the container's local-driver volumes, as Docker's.
func (r *psRow) LocalVolumes() string {
	n := 0
	for _, mp := range r.c.Mounts {
		if mp.Driver == "local" {
			n++
		}
	}
	return strconv.Itoa(n)
}

// Platform is the image manifest's platform, which Docker's CLI shows from
// the daemon's ImageManifestDescriptor; skiff sends none.
func (r *psRow) Platform() any { return nil }

// MarshalJSON emits the fields `docker ps --format json` prints (Docker
// 28's CLI), with the same values as the templates.
func (r *psRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"ID": r.ID(), "Image": r.Image(), "Command": r.Command(), "CreatedAt": r.CreatedAt(),
		"RunningFor": r.RunningFor(), "Ports": r.Ports(), "State": r.State(), "Status": r.Status(),
		"Names": r.Names(), "Labels": r.Labels(), "Mounts": r.Mounts(), "Networks": r.Networks(),
		"Size": r.Size(), "LocalVolumes": r.LocalVolumes(), "Platform": r.Platform(),
	})
}
