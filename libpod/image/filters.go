package image

import (
	"context"
	"strconv"
	"time"

	"github.com/skiffcontainers/skiff/libpod/filter"
)

// Docker's image filters. libimage evaluates them (its label filters must
// all match and its reference values are alternatives, as in Docker), but
// it accepts more keys and values than Docker; these sets and
// libimageFilters hold skiff to Docker's.
var (
	listFilterKeys  = map[string]bool{"dangling": true, "label": true, "before": true, "since": true, "reference": true, "until": true}
	pruneFilterKeys = map[string]bool{"dangling": true, "label": true, "label!": true, "until": true}
)

// libimageFilters validates Docker's image filters against accepted and
// turns them into libimage's KEY=VALUE list (KEY!=VALUE for label!).
// dangling is read as Docker reads it (true, false, 1 or 0, and not two
// of them); a prune passes its default, a list nil (no dangling filter
// unless given). before and since must name images.
func (s *Store) libimageFilters(ctx context.Context, m map[string][]string, accepted map[string]bool, danglingDefault *bool) ([]string, error) {
	args := filter.Args(m)
	if err := filter.Validate(args, accepted); err != nil {
		return nil, err
	}
	var out []string
	if args.Contains("dangling") || danglingDefault != nil {
		def := danglingDefault != nil && *danglingDefault
		dangling, err := args.GetBoolOrDefault("dangling", def)
		if err != nil {
			return nil, filter.Invalid(err)
		}
		out = append(out, "dangling="+strconv.FormatBool(dangling))
	}
	for _, key := range []string{"before", "since"} {
		for _, v := range args.Get(key) {
			id, _, err := s.Resolve(ctx, v)
			if err != nil {
				return nil, err
			}
			out = append(out, key+"="+id)
		}
	}
	for _, v := range args.Get("until") {
		// Parsed here for Docker's error; libimage parses it the same way.
		if _, err := filter.Timestamp("until", v, time.Now()); err != nil {
			return nil, err
		}
		out = append(out, "until="+v)
	}
	for _, key := range []string{"label", "reference"} {
		for _, v := range args.Get(key) {
			out = append(out, key+"="+v)
		}
	}
	for _, v := range args.Get("label!") {
		out = append(out, "label!="+v)
	}
	return out, nil
}
