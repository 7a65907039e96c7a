package libpod

import (
	"context"

	"github.com/docker/docker/api/types/filters"

	"github.com/skiffcontainers/skiff/libpod/filter"
)

// networkListKeys are the filters Docker's network list accepts.
var networkListKeys = map[string]bool{
	"dangling": true, "driver": true, "id": true, "label": true, "name": true, "scope": true, "type": true,
}

// NetworkScope is every network's scope: skiff has no swarm.
const NetworkScope = "local"

// NetworkList returns the networks filters select, sorted by name, with
// Docker's semantics (moby's daemon/network/filter.go): name and id are
// regular expressions (so substrings and prefixes match), driver and scope
// match exactly, every label filter must match, dangling=true keeps the
// user networks no container is on (false the others), and type is
// builtin (bridge, host, none) or custom.
func (r *Runtime) NetworkList(ctx context.Context, filters map[string][]string) ([]NetworkInfo, error) {
	args := filter.Args(filters)
	if err := filter.Validate(args, networkListKeys); err != nil {
		return nil, err
	}
	match, err := compileNetworkFilter(args)
	if err != nil {
		return nil, err
	}
	all, err := r.allNetworks(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, n := range all {
		if match(&n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// compileNetworkFilter checks the filters' values once and returns the
// test each network must pass.
func compileNetworkFilter(args filters.Args) (func(n *NetworkInfo) bool, error) {
	var dangling *bool
	if vs := args.Get("dangling"); len(vs) > 0 {
		if len(vs) > 1 {
			return nil, filter.Invalidf(`got more than one value for filter key "dangling"`)
		}
		switch vs[0] {
		case "0", "false":
			dangling = new(bool)
		case "1", "true":
			t := true
			dangling = &t
		default:
			return nil, filter.Invalidf(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`)
		}
	}
	err := args.WalkValues("type", func(v string) error {
		if v != "custom" && v != "builtin" {
			return filter.Invalidf("invalid filter: 'type'='%s'", v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return func(n *NetworkInfo) bool {
		switch {
		case args.Contains("driver") && !args.ExactMatch("driver", n.Driver),
			args.Contains("name") && !args.Match("name", n.Name),
			args.Contains("id") && !args.Match("id", n.ID),
			args.Contains("label") && !args.MatchKVList("label", n.Labels),
			args.Contains("scope") && !args.ExactMatch("scope", NetworkScope):
			return false
		case dangling != nil && *dangling != (!n.Builtin && len(n.Members) == 0):
			return false
		case args.Contains("type"):
			typ := "custom"
			if n.Builtin {
				typ = "builtin"
			}
			return args.ExactMatch("type", typ)
		}
		return true
	}, nil
}
