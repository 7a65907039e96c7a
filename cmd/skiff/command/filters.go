package command

import (
	"errors"
	"sort"
	"strings"
)

// Filters is the value of a repeatable --filter flag, read as Docker's CLI
// reads it: NAME=VALUE with the name lower-cased and both sides trimmed.
// A malformed value is a flag error, in Docker's words. What the filters
// mean is the engine's: values of one name are alternatives, names must
// all match, label filters must all match.
type Filters struct {
	m map[string][]string
}

// Set adds one filter.
func (f *Filters) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("bad format of filter (expected name=value)")
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if f.m == nil {
		f.m = map[string][]string{}
	}
	f.m[name] = append(f.m[name], strings.TrimSpace(val))
	return nil
}

// String is the flag's value for help: empty, as Docker shows none.
func (f *Filters) String() string { return "" }

// Type names the flag's value in help, as Docker's "filter".
func (f *Filters) Type() string { return "filter" }

// Map is the engine's filter map, nil when no filter was given; values
// are sorted and duplicates dropped, as Docker's set of values holds them.
func (f *Filters) Map() map[string][]string {
	if len(f.m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(f.m))
	for k, vs := range f.m {
		sorted := append([]string(nil), vs...)
		sort.Strings(sorted)
		var uniq []string
		for i, v := range sorted {
			if i == 0 || v != sorted[i-1] {
				uniq = append(uniq, v)
			}
		}
		out[k] = uniq
	}
	return out
}
