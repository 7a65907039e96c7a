package docker

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/versions"

	"github.com/skiffcontainers/skiff/libpod/filter"
)

// boolParam reads a query flag the way Docker does: anything but "", "0",
// "no", "false" and "none" (any case) is true.
func boolParam(r *http.Request, key string) bool {
	switch strings.ToLower(strings.TrimSpace(r.URL.Query().Get(key))) {
	case "", "0", "no", "false", "none":
		return false
	}
	return true
}

// intParam reads an integer query parameter; ok is false when it is absent.
func intParam(r *http.Request, key string) (n int, ok bool, err error) {
	v := r.URL.Query().Get(key)
	if v == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(v)
	if err != nil {
		return 0, false, invalid("invalid value for %q: %q is not an integer", key, v)
	}
	return n, true, nil
}

// parseTimestamp reads Docker's since/until values: Unix seconds with an
// optional fraction ("1700000000.000000001"), or RFC 3339 as a courtesy.
// Empty and "0" mean no bound.
func parseTimestamp(key, v string) (time.Time, error) {
	if v == "" || v == "0" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	secStr, fracStr, hasFrac := strings.Cut(v, ".")
	sec, err := strconv.ParseInt(secStr, 10, 64)
	if err != nil {
		return time.Time{}, invalid("invalid value for %q: %q is not a Unix timestamp", key, v)
	}
	var nsec int64
	if hasFrac {
		if fracStr == "" || len(fracStr) > 9 {
			return time.Time{}, invalid("invalid value for %q: %q is not a Unix timestamp", key, v)
		}
		nsec, err = strconv.ParseInt(fracStr+strings.Repeat("0", 9-len(fracStr)), 10, 64)
		if err != nil || nsec < 0 {
			return time.Time{}, invalid("invalid value for %q: %q is not a Unix timestamp", key, v)
		}
	}
	return time.Unix(sec, nsec), nil
}

// parseFilters decodes Docker's filters parameter with Docker's own
// decoder: a JSON object whose values are {"value": true, ...} (API 1.22
// and later) or the older ["value", ...]. What the filters mean is the
// engine's business.
func parseFilters(raw string) (map[string][]string, error) {
	args, err := filters.FromJSON(raw)
	if err != nil {
		return nil, invalid("%v", err)
	}
	return filter.Map(args), nil
}

// stopTimeout reads stop/restart's t: seconds before SIGKILL, nil for the
// container's own. Docker's -1 ("wait forever") has no engine equivalent.
func stopTimeout(r *http.Request) (*uint, error) {
	t, ok, err := intParam(r, "t")
	if err != nil || !ok {
		return nil, err
	}
	if t < 0 {
		return nil, invalid("invalid value for \"t\": %d: waiting without a timeout is not supported yet", t)
	}
	u := uint(t)
	return &u, nil
}

// apiAtLeast reports whether the requested API version v is at least min;
// an empty v (no version asked for) counts as the newest. The server has
// checked v's form already.
func apiAtLeast(v, min string) bool {
	return v == "" || versions.GreaterThanOrEqualTo(v, min)
}
