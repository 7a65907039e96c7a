package specgen

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// propagations are the values bind-propagation takes.
var propagations = []string{"shared", "rshared", "slave", "rslave", "private", "rprivate"}

// ParseMount parses a `--mount` value as Docker reads it: comma-separated
// fields (CSV quoting allowed), type=bind, source|src=HOST,
// target|dst|destination=CONTAINER, readonly|ro[=BOOL],
// bind-propagation=MODE; consistency is accepted and ignored, as Docker does
// on Linux. Without type= a mount is a volume, as in Docker. Only bind
// mounts are supported; volume, tmpfs and other types are refused in one
// line. The source is returned as given: the caller resolves a relative one
// (Docker's CLI resolves sources starting with "." against its working
// directory) and Validate insists on an absolute path.
func ParseMount(spec string) (Mount, error) {
	invalid := func(format string, a ...any) (Mount, error) {
		return Mount{}, fmt.Errorf("invalid --mount %q: %s: %w", spec, fmt.Sprintf(format, a...), errdefs.ErrInvalidArg)
	}
	fields, err := csv.NewReader(strings.NewReader(spec)).Read()
	if err != nil {
		return invalid("%v", err)
	}
	typ := "volume"
	var m Mount
	for _, field := range fields {
		key, val, hasValue := strings.Cut(field, "=")
		key = strings.ToLower(key)
		switch {
		case key == "readonly" || key == "ro":
			m.ReadOnly = true
			if hasValue {
				if m.ReadOnly, err = strconv.ParseBool(val); err != nil {
					return invalid("invalid value for %s: %s", key, val)
				}
			}
		case !hasValue:
			return invalid("field %q must be a key=value pair", field)
		case key == "type":
			typ = strings.ToLower(val)
		case key == "source" || key == "src":
			m.Source = val
		case key == "target" || key == "dst" || key == "destination":
			m.Destination = val
		case key == "bind-propagation":
			p := strings.ToLower(val)
			if !slices.Contains(propagations, p) {
				return invalid("invalid bind-propagation %q: want one of %s", val, strings.Join(propagations, ", "))
			}
			m.Options = append(m.Options, p)
		case key == "consistency":
		case strings.HasPrefix(key, "volume-") || strings.HasPrefix(key, "tmpfs-") ||
			strings.HasPrefix(key, "image-") || strings.HasPrefix(key, "bind-"):
			return invalid("option %q is not supported yet", key)
		default:
			return invalid("unexpected key %q", key)
		}
	}
	switch typ {
	case "bind":
	case "volume":
		return invalid("a volume mount (the default type), and skiff has no named volumes yet (they come later); for a bind mount give type=bind,source=PATH")
	default:
		return invalid("mount type %q is not supported yet: only bind", typ)
	}
	if m.Destination == "" {
		return invalid("target is required")
	}
	if m.Source == "" {
		return invalid("source is required for a bind mount")
	}
	return m, nil
}
