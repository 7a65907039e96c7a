package command

import "strings"

// ParseFilters turns repeated --filter KEY=VALUE flags into the engine's
// filter map (values of one key are alternatives, as in Docker).
func ParseFilters(in []string) (map[string][]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	for _, f := range in {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, Invalid("invalid filter %q: want KEY=VALUE", f)
		}
		out[k] = append(out[k], v)
	}
	return out, nil
}
