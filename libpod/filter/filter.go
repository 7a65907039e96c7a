package filter

import (
	"fmt"
	"sort"
	"time"

	"github.com/docker/docker/api/types/filters"
	timetypes "github.com/docker/docker/api/types/time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Args turns the engine's filter map (key to values, as the CLI's repeated
// --filter flags and Docker's JSON filters give it) into Docker's Args.
// A key without values is kept: Docker validates it and treats it as no
// filter.
func Args(m map[string][]string) filters.Args {
	args := filters.NewArgs()
	for k, vs := range m {
		if len(vs) == 0 {
			// filters.Args has no way to hold a key without values but
			// decoding one; {"k":[]} is what Docker receives for it.
			_ = args.UnmarshalJSON([]byte(fmt.Sprintf(`{%q:{}}`, k)))
			continue
		}
		for _, v := range vs {
			args.Add(k, v)
		}
	}
	return args
}

// Map is the engine's filter map of args, values sorted so that results
// never depend on Go's map order.
func Map(args filters.Args) map[string][]string {
	if args.Len() == 0 {
		return nil
	}
	out := make(map[string][]string, args.Len())
	for _, k := range args.Keys() {
		vs := args.Get(k)
		sort.Strings(vs)
		out[k] = vs
	}
	return out
}

// Validate refuses keys outside accepted with Docker's words
// ("invalid filter 'x'"), as an invalid-argument error.
func Validate(args filters.Args, accepted map[string]bool) error {
	return Invalid(args.Validate(accepted))
}

// Invalid classes an error of Docker's filter code (already worded as
// Docker words it) as invalid input; nil stays nil.
func Invalid(err error) error {
	if err == nil {
		return nil
	}
	return errdefs.Reword(err.Error(), errdefs.ErrInvalidArg)
}

// Invalidf is an invalid-argument error worded by format.
func Invalidf(format string, a ...any) error {
	return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf(format, a...))
}

// Timestamp reads a filter's time value as Docker does: a Go duration
// back from now ("10m"), a Unix timestamp with optional fraction, or an
// RFC 3339 date or time (local when it has no zone).
func Timestamp(key, value string, now time.Time) (time.Time, error) {
	ts, err := timetypes.GetTimestamp(value, now)
	if err != nil {
		return time.Time{}, Invalid(err)
	}
	sec, nsec, err := timetypes.ParseTimestamps(ts, 0)
	if err != nil {
		return time.Time{}, Invalid(err)
	}
	return time.Unix(sec, nsec), nil
}

// PruneUntil is the until filter of a prune: zero without one, refused
// when given twice (Docker's "more than one until filter specified").
func PruneUntil(args filters.Args, now time.Time) (time.Time, error) {
	if !args.Contains("until") {
		return time.Time{}, nil
	}
	vs := args.Get("until")
	if len(vs) > 1 {
		return time.Time{}, Invalidf("more than one until filter specified")
	}
	if len(vs) == 0 {
		return time.Time{}, nil
	}
	return Timestamp("until", vs[0], now)
}

// PruneLabels is prune's label rule: every label filter must match, and
// an object matching every label! filter is kept.
func PruneLabels(args filters.Args, labels map[string]string) bool {
	if !args.MatchKVList("label", labels) {
		return false
	}
	return !args.Contains("label!") || !args.MatchKVList("label!", labels)
}
