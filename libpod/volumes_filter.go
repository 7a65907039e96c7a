package libpod

import (
	"context"
	"time"

	"github.com/docker/docker/api/types/filters"

	"github.com/skiffcontainers/skiff/libpod/filter"
)

// volumeListKeys are the filters Docker's volume list accepts.
var volumeListKeys = map[string]bool{"dangling": true, "driver": true, "label": true, "name": true}

// volumePruneKeys are the filters volume prune accepts: Docker's label
// and label!, and Podman's until.
var volumePruneKeys = map[string]bool{"label": true, "label!": true, "until": true}

// VolumeList returns the volumes filters select, by name, with Docker's
// semantics (moby's volume service): name matches as a substring,
// driver exactly, every label filter must match, dangling=true keeps the
// volumes no container uses (false the others).
func (r *Runtime) VolumeList(ctx context.Context, filters map[string][]string) ([]Volume, error) {
	args := filter.Args(filters)
	if err := filter.Validate(args, volumeListKeys); err != nil {
		return nil, err
	}
	dangling, err := danglingFilter(args)
	if err != nil {
		return nil, err
	}
	all, err := r.allVolumes(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, v := range all {
		switch {
		case args.Contains("driver") && !args.ExactMatch("driver", v.Driver),
			args.Contains("name") && !args.Match("name", v.Name),
			args.Contains("label") && !args.MatchKVList("label", v.Labels),
			dangling != nil && *dangling != (len(v.Users) == 0):
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

func danglingFilter(args filters.Args) (*bool, error) {
	vs := args.Get("dangling")
	if len(vs) == 0 {
		return nil, nil
	}
	if len(vs) > 1 {
		return nil, filter.Invalidf(`got more than one value for filter key "dangling"`)
	}
	switch vs[0] {
	case "0", "false":
		return new(bool), nil
	case "1", "true":
		t := true
		return &t, nil
	}
	return nil, filter.Invalidf(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`)
}

// compileVolumePruneFilter checks prune's filters and returns the test a
// volume must pass to be removed.
func compileVolumePruneFilter(m map[string][]string) (func(v *Volume) bool, error) {
	args := filter.Args(m)
	if err := filter.Validate(args, volumePruneKeys); err != nil {
		return nil, err
	}
	until, err := filter.PruneUntil(args, time.Now())
	if err != nil {
		return nil, err
	}
	return func(v *Volume) bool {
		if !until.IsZero() && !v.Created.Before(until) {
			return false
		}
		return filter.PruneLabels(args, v.Labels)
	}, nil
}
