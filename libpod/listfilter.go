package libpod

import (
	"context"
	"strconv"
	"strings"

	containertypes "github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/go-connections/nat"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/filter"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ListOptions select containers the way Docker's GET /containers/json
// (and so `docker ps`) does.
type ListOptions struct {
	// All lists stopped containers too; otherwise only running (and
	// paused) ones, unless Limit or a status filter is given.
	All bool
	// Limit is the number of newest containers to list (0: no limit).
	Limit int
	// Filters are Docker's ps filters.
	Filters map[string][]string
}

// psFilterKeys are the ps filters Docker accepts.
var psFilterKeys = map[string]bool{
	"ancestor": true, "before": true, "exited": true, "id": true, "isolation": true,
	"label": true, "name": true, "status": true, "health": true, "since": true,
	"volume": true, "network": true, "is-task": true, "publish": true, "expose": true,
}

// List returns the containers opts selects, newest first, with Docker's
// semantics (moby's daemon/list.go): values of one key are alternatives
// and keys must all match; every label filter must match; name and id are
// regular expressions (id values must also be unique ID prefixes);
// before and since name a container; ancestor includes images built on
// the named one. skiff has no health checks, swarm tasks or published
// ports yet, so health is "none", is-task false and publish/expose match
// nothing.
func (r *Runtime) List(ctx context.Context, opts ListOptions) ([]*Container, error) {
	args := filter.Args(opts.Filters)
	if err := filter.Validate(args, psFilterKeys); err != nil {
		return nil, err
	}
	all, err := r.Containers(ctx)
	if err != nil {
		return nil, err
	}
	return r.selectContainers(ctx, all, args, opts)
}

// selectContainers applies compiled filters to all, newest first.
func (r *Runtime) selectContainers(ctx context.Context, all []*Container, args filters.Args, opts ListOptions) ([]*Container, error) {
	f, err := r.compileList(ctx, args, all)
	if err != nil {
		return nil, err
	}
	f.all = opts.All || f.all
	f.limit = opts.Limit
	var out []*Container
	for _, c := range f.candidates(all) {
		switch f.include(c, len(out)) {
		case excludeContainer:
			continue
		case stopIteration:
			return out, nil
		}
		out = append(out, c)
	}
	return out, nil
}

type listAction int

const (
	includeContainer listAction = iota
	excludeContainer
	stopIteration
)

// listFilter is a compiled ps filter set over one snapshot of containers.
type listFilter struct {
	args           filters.Args
	all            bool
	limit          int
	before, since  string // container IDs
	exited         []int
	isTask         *bool
	ancestor       bool
	images         map[string]bool // image IDs ancestor selects
	publish        map[nat.Port]bool
	expose         map[nat.Port]bool
	matchesByNames map[string]bool // nil: no name or id filter
	// onNetworks maps container IDs to the user and bridge networks the
	// database records them on (names and IDs), for the network filter.
	onNetworks map[string][]string
}

func (r *Runtime) compileList(ctx context.Context, args filters.Args, all []*Container) (*listFilter, error) {
	f := &listFilter{args: args}
	err := args.WalkValues("exited", func(v string) error {
		code, err := strconv.Atoi(v)
		if err != nil {
			return filter.Invalidf("invalid filter 'exited=%s': %v", v, err)
		}
		f.exited = append(f.exited, code)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = args.WalkValues("status", func(v string) error {
		if err := containertypes.ValidateContainerState(containertypes.ContainerState(v)); err != nil {
			return filter.Invalidf("invalid filter 'status=%s': %v", v, err)
		}
		f.all = true // asking for a status lists stopped containers too
		return nil
	})
	if err != nil {
		return nil, err
	}
	if args.Contains("is-task") {
		b, err := args.GetBoolOrDefault("is-task", false)
		if err != nil {
			return nil, filter.Invalid(err)
		}
		f.isTask = &b
	}
	err = args.WalkValues("health", func(v string) error {
		if err := containertypes.ValidateHealthStatus(containertypes.HealthStatus(v)); err != nil {
			return filter.Invalidf("invalid filter 'health=%s': %v", v, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, key := range []string{"before", "since"} {
		err := args.WalkValues(key, func(v string) error {
			id, err := idOrName(all, v)
			if key == "before" {
				f.before = id
			} else {
				f.since = id
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if args.Contains("ancestor") {
		f.ancestor = true
		f.images = r.ancestorImages(ctx, args.Get("ancestor"))
	}
	if f.publish, err = ports(args, "publish"); err != nil {
		return nil, err
	}
	if f.expose, err = ports(args, "expose"); err != nil {
		return nil, err
	}
	f.matchesByNames = nameIDMatches(args, all)
	if args.Contains("network") {
		if f.onNetworks, err = r.recordedNetworks(ctx); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// recordedNetworks maps each container on a bridge network to those
// networks' names and IDs, read once for a network filter.
func (r *Runtime) recordedNetworks(ctx context.Context) (map[string][]string, error) {
	rows, err := r.db.NetworkMembers(ctx)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := map[string]string{}
	if backend, err := r.Network(); err == nil {
		if nets, err := backend.NetworkList(); err == nil {
			for _, n := range nets {
				ids[n.Name] = n.ID
			}
		}
	}
	out := map[string][]string{}
	for _, row := range rows {
		out[row.ContainerID] = append(out[row.ContainerID], row.Network)
		if id := ids[row.Network]; id != "" {
			out[row.ContainerID] = append(out[row.ContainerID], id)
		}
	}
	return out, nil
}

// networkMatch: a network filter names the container's mode or, by name
// or full ID, a network the database records it on (connected ones too).
func (f *listFilter) networkMatch(c *Container) bool {
	if f.args.ExactMatch("network", c.NetworkMode()) {
		return true
	}
	for _, n := range f.onNetworks[c.ID] {
		if f.args.ExactMatch("network", n) {
			return true
		}
	}
	return false
}

// idOrName finds the container before/since name: by full ID, else by
// exact name. Docker answers a miss with "No such container".
func idOrName(all []*Container, v string) (string, error) {
	for _, c := range all {
		if c.ID == v {
			return c.ID, nil
		}
	}
	name := strings.TrimPrefix(v, "/")
	for _, c := range all {
		if c.Name == name {
			return c.ID, nil
		}
	}
	return "", errdefs.As(errdefs.ErrNoSuchContainer, "No such container: "+v)
}

// nameIDMatches is Docker's first pass over name and id filters: an id
// value selects the one container it is a unique prefix of (an ambiguous
// prefix selects none); with name filters too, only those of them whose
// name matches.
func nameIDMatches(args filters.Args, all []*Container) map[string]bool {
	names, ids := args.Get("name"), args.Get("id")
	if len(names)+len(ids) == 0 {
		return nil
	}
	matches := map[string]bool{}
	for _, id := range ids {
		var found *Container
		for _, c := range all {
			if id != "" && strings.HasPrefix(c.ID, id) {
				if found != nil {
					found = nil
					break
				}
				found = c
			}
		}
		if found != nil {
			matches[found.ID] = true
		}
	}
	if len(names) > 0 {
		for _, c := range all {
			if len(ids) > 0 && !matches[c.ID] {
				continue
			}
			if nameMatch(args, c.Name) {
				matches[c.ID] = true
			}
		}
	}
	return matches
}

func nameMatch(args filters.Args, name string) bool {
	return args.Match("name", name) || args.Match("name", "/"+name)
}

// candidates is the list the filters walk: newest first, narrowed by the
// name and id pass.
func (f *listFilter) candidates(all []*Container) []*Container {
	if f.matchesByNames == nil {
		return all
	}
	var out []*Container
	for _, c := range all {
		if f.matchesByNames[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// include is moby's includeContainerInList, in its order: before and
// since cut the newest-first walk, the running rule applies before the
// other filters, and the limit counts what was kept so far.
func (f *listFilter) include(c *Container, kept int) listAction {
	if f.before != "" {
		if c.ID == f.before {
			f.before = ""
		}
		return excludeContainer
	}
	if f.since != "" && c.ID == f.since {
		return stopIteration
	}
	running := c.State.Status.Up()
	if !running && !f.all && f.limit <= 0 {
		return excludeContainer
	}
	if !nameMatch(f.args, c.Name) || !f.args.Match("id", c.ID) {
		return excludeContainer
	}
	if f.isTask != nil && *f.isTask {
		return excludeContainer // skiff runs no swarm tasks
	}
	if !f.args.MatchKVList("label", c.Config.Spec.ResolveLabels(c.Config.Image)) {
		return excludeContainer
	}
	if f.limit > 0 && kept == f.limit {
		return stopIteration
	}
	if len(f.exited) > 0 && !f.exitedMatch(c, running) {
		return excludeContainer
	}
	if !f.args.Match("status", string(c.State.Status)) || !f.args.ExactMatch("health", string(containertypes.NoHealthcheck)) {
		return excludeContainer
	}
	if f.args.Contains("volume") && !f.volumeMatch(c) {
		return excludeContainer
	}
	if f.ancestor && !f.images[c.Config.ImageID] {
		return excludeContainer
	}
	if f.args.Contains("network") && !f.networkMatch(c) {
		return excludeContainer
	}
	if len(f.publish) > 0 || len(f.expose) > 0 {
		return excludeContainer // no container publishes or exposes ports yet
	}
	return includeContainer
}

func (f *listFilter) exitedMatch(c *Container, running bool) bool {
	if running || c.State.StartedAt.IsZero() {
		return false
	}
	for _, code := range f.exited {
		if code == c.State.ExitCode {
			return true
		}
	}
	return false
}

// volumeMatch: a volume filter names a mount's source (a volume's name,
// a bind's host path) or its destination.
func (f *listFilter) volumeMatch(c *Container) bool {
	for _, v := range f.args.Get("volume") {
		for _, m := range c.Config.Spec.Mounts {
			if v == m.Source || v == m.Destination {
				return true
			}
		}
	}
	return false
}

// NetworkMode is the network the container is on, by Docker's names:
// "host" unless it was created with another mode.
func (c *Container) NetworkMode() string {
	if m := c.Config.Spec.NetworkMode; m != "" {
		return m
	}
	return "host"
}

// ancestorImages resolves ancestor values to image IDs, with every image
// built on them. A value naming no image is logged and ignored, as Docker
// does; if none resolves, ancestor matches nothing.
func (r *Runtime) ancestorImages(ctx context.Context, names []string) map[string]bool {
	out := map[string]bool{}
	store, err := r.Images()
	if err != nil {
		logrus.Warnf("ancestor filter: %v", err)
		return out
	}
	for _, name := range names {
		ids, err := store.Descendants(ctx, name)
		if err != nil {
			logrus.Warnf("ancestor filter: looking up image %s: %v", name, err)
			continue
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out
}

// ports parses publish or expose values ("80", "8000-8080/udp") as
// Docker does.
func ports(args filters.Args, key string) (map[nat.Port]bool, error) {
	out := map[nat.Port]bool{}
	err := args.WalkValues(key, func(v string) error {
		if strings.Contains(v, ":") {
			return filter.Invalidf("filter for '%s' should not contain ':': %s", key, v)
		}
		proto, port := nat.SplitProtoPort(v)
		start, end, err := nat.ParsePortRange(port)
		if err != nil {
			return filter.Invalidf("error while looking up for %s %s: %s", key, v, err)
		}
		for i := start; i <= end; i++ {
			p, err := nat.NewPort(proto, strconv.FormatUint(i, 10))
			if err != nil {
				return filter.Invalidf("error while looking up for %s %s: %s", key, v, err)
			}
			out[p] = true
		}
		return nil
	})
	return out, err
}
