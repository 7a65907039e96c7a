package docker

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
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

// parseFilters decodes Docker's filters parameter: a JSON object whose
// values are either {"value": true, ...} (API 1.22 and later) or the older
// ["value", ...]. Values are sorted so results do not depend on map order.
func parseFilters(raw string) (map[string][]string, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var generic map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &generic); err != nil {
		return nil, invalid("invalid filters %q: %v", raw, err)
	}
	out := make(map[string][]string, len(generic))
	for key, msg := range generic {
		values, err := filterValues(msg)
		if err != nil {
			return nil, invalid("invalid filters %q: the values of %q must be a map of strings to booleans or a list of strings", raw, key)
		}
		// A key without values filters nothing, as in Docker; kept, it
		// would match nothing.
		if len(values) > 0 {
			sort.Strings(values)
			out[key] = values
		}
	}
	return out, nil
}

// filterValues reads one key's values in either of Docker's forms.
func filterValues(msg json.RawMessage) ([]string, error) {
	var asMap map[string]bool
	if err := json.Unmarshal(msg, &asMap); err == nil {
		var out []string
		for v, on := range asMap {
			if on {
				out = append(out, v)
			}
		}
		return out, nil
	}
	var asList []string
	err := json.Unmarshal(msg, &asList)
	return asList, err
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
// an unparsable or empty v counts as the newest.
func apiAtLeast(v, min string) bool {
	if v == "" {
		return true
	}
	a, b := splitVersion(v), splitVersion(min)
	if a == nil {
		return true
	}
	for i := 0; i < 2; i++ {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return true
}

func splitVersion(v string) []int {
	maj, min, ok := strings.Cut(v, ".")
	if !ok {
		return nil
	}
	x, err1 := strconv.Atoi(maj)
	y, err2 := strconv.Atoi(min)
	if err1 != nil || err2 != nil {
		return nil
	}
	return []int{x, y}
}
