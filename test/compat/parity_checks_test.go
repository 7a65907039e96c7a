package compat

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// check judges one stream of a row's output. Texts and patterns hold
// placeholders (expand); in a pattern their values match literally.
type check func(x *run, out string) error

// empty: nothing at all.
func empty() check { return exact("") }

// exact: this text, byte for byte.
func exact(text string) check {
	return func(x *run, out string) error {
		if want := x.expand(text); out != want {
			return fmt.Errorf("got %q, want %q", out, want)
		}
		return nil
	}
}

// manyPrefix marks a pattern of lines that matches any number of lines.
const manyPrefix = "\x00many:"

// many is a lines pattern that matches zero or more lines.
func many(pattern string) string { return manyPrefix + pattern }

// lines: one line per pattern (each anchored at both ends), and nothing
// else; a many() pattern takes any number of lines, as few as the
// patterns after it leave.
func lines(patterns ...string) check {
	return func(x *run, out string) error {
		if out != "" && !strings.HasSuffix(out, "\n") {
			return fmt.Errorf("%q does not end with a newline", out)
		}
		res := make([]*regexp.Regexp, len(patterns))
		for i, p := range patterns {
			re, err := regexp.Compile("^(?:" + x.expandRegexp(strings.TrimPrefix(p, manyPrefix)) + ")$")
			if err != nil {
				return err
			}
			res[i] = re
		}
		if !matchLines(splitLines(out), patterns, res) {
			return fmt.Errorf("%q does not match the lines %q", out, res)
		}
		return nil
	}
}

// matchLines matches ls against the patterns, a many() one taking as few
// lines as lets the rest match.
func matchLines(ls, patterns []string, res []*regexp.Regexp) bool {
	if len(patterns) == 0 {
		return len(ls) == 0
	}
	if strings.HasPrefix(patterns[0], manyPrefix) {
		for n := 0; ; n++ {
			if matchLines(ls[n:], patterns[1:], res[1:]) {
				return true
			}
			if n == len(ls) || !res[0].MatchString(ls[n]) {
				return false
			}
		}
	}
	return len(ls) > 0 && res[0].MatchString(ls[0]) && matchLines(ls[1:], patterns[1:], res[1:])
}

// oneLine: exactly one line, matching pattern.
func oneLine(pattern string) check { return lines(pattern) }

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// table: a header of exactly these columns (Docker's names and order),
// then one line per row pattern. Columns are told apart by the two or
// more spaces Docker's tabwriter leaves between them.
func table(cols []string, rows ...string) check {
	return func(x *run, out string) error {
		ls := splitLines(out)
		if len(ls) == 0 {
			return fmt.Errorf("no header in %q", out)
		}
		if got := columns(ls[0]); strings.Join(got, "|") != strings.Join(cols, "|") {
			return fmt.Errorf("header columns %q, want %q", got, cols)
		}
		return lines(append([]string{regexp.QuoteMeta(ls[0])}, rows...)...)(x, out)
	}
}

var columnGap = regexp.MustCompile(`\s{2,}`)

func columns(line string) []string { return columnGap.Split(strings.TrimSpace(line), -1) }

// jsonLines: n lines, each one JSON object whose keys are exactly keys
// (plus any of optional); fields, when given, are values every object
// must hold, key then value (placeholders expanded).
func jsonLines(n int, keys, optional []string, fields ...string) check {
	return func(x *run, out string) error {
		ls := splitLines(out)
		if len(ls) != n {
			return fmt.Errorf("%d lines, want %d JSON objects: %q", len(ls), n, out)
		}
		for _, l := range ls {
			var obj map[string]any
			if err := json.Unmarshal([]byte(l), &obj); err != nil {
				return fmt.Errorf("not a JSON object (%v): %q", err, l)
			}
			if err := keySet(obj, keys, optional); err != nil {
				return err
			}
			if err := fieldValues(x, obj, fields); err != nil {
				return err
			}
		}
		return nil
	}
}

// jsonArray: one JSON array of n objects, each with exactly keys (plus any
// of optional), as inspect prints by default.
func jsonArray(n int, keys, optional []string, fields ...string) check {
	return func(x *run, out string) error {
		var arr []map[string]any
		if err := json.Unmarshal([]byte(out), &arr); err != nil {
			return fmt.Errorf("not a JSON array (%v): %q", err, out)
		}
		if len(arr) != n {
			return fmt.Errorf("%d objects, want %d", len(arr), n)
		}
		for _, obj := range arr {
			if err := keySet(obj, keys, optional); err != nil {
				return err
			}
			if err := fieldValues(x, obj, fields); err != nil {
				return err
			}
		}
		return nil
	}
}

// jsonHas: one JSON object holding at least keys, for objects whose full
// key set depends on the client's version (info).
func jsonHas(keys ...string) check {
	return func(x *run, out string) error {
		var obj map[string]any
		if err := json.Unmarshal([]byte(out), &obj); err != nil || len(splitLines(out)) != 1 {
			return fmt.Errorf("want one line of JSON object (%v): %q", err, out)
		}
		var missing []string
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("keys %q missing from %q", missing, out)
		}
		return nil
	}
}

func keySet(obj map[string]any, keys, optional []string) error {
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	allowed := map[string]bool{}
	for _, k := range optional {
		allowed[k] = true
	}
	var extra, missing []string
	for k := range obj {
		if !want[k] && !allowed[k] {
			extra = append(extra, k)
		}
	}
	for k := range want {
		if _, ok := obj[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(extra)
	sort.Strings(missing)
	if len(extra)+len(missing) > 0 {
		return fmt.Errorf("JSON keys: %q not Docker's, %q missing", extra, missing)
	}
	return nil
}

func fieldValues(x *run, obj map[string]any, fields []string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		want := x.expand(fields[i+1])
		if got := fmt.Sprint(obj[fields[i]]); got != want {
			return fmt.Errorf("field %s = %q, want %q", fields[i], got, want)
		}
	}
	return nil
}

// jsonSeq: the value of key in each line's object, in order.
func jsonSeq(key string, values ...string) check {
	return func(x *run, out string) error {
		var got []string
		for _, l := range splitLines(out) {
			var obj map[string]any
			if err := json.Unmarshal([]byte(l), &obj); err != nil {
				return fmt.Errorf("not a JSON object (%v): %q", err, l)
			}
			got = append(got, fmt.Sprint(obj[key]))
		}
		want := make([]string, len(values))
		for i, v := range values {
			want[i] = x.expand(v)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("%s in order: %q, want %q", key, got, want)
		}
		return nil
	}
}

// Forms of an ID in quiet output.
const (
	shortID = `[0-9a-f]{12}`
	fullID  = `[0-9a-f]{64}`
	imageID = `sha256:[0-9a-f]{64}`
)

// quietIDs: n lines, each an ID of the given form and nothing else.
func quietIDs(n int, form string) check {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = form
	}
	return lines(ps...)
}

// allOf: every check holds.
func allOf(checks ...check) check {
	return func(x *run, out string) error {
		for _, c := range checks {
			if err := c(x, out); err != nil {
				return err
			}
		}
		return nil
	}
}

// anyOf: one of the checks holds (for docker CLIs of different ages).
func anyOf(checks ...check) check {
	return func(x *run, out string) error {
		var errs []error
		for _, c := range checks {
			err := c(x, out)
			if err == nil {
				return nil
			}
			errs = append(errs, err)
		}
		return fmt.Errorf("none of the accepted forms: %w", errors.Join(errs...))
	}
}

// tarHolding: a tar archive with these entries (stdout of save).
func tarHolding(names ...string) check {
	return func(x *run, out string) error { return tarHas(strings.NewReader(out), names) }
}

// savedArchive: a probe that the file (placeholders expanded) is a tar
// archive with these entries.
func savedArchive(path string, names ...string) probe {
	return probe{fn: func(x *run) error {
		f, err := os.Open(x.expand(path))
		if err != nil {
			return err
		}
		defer f.Close()
		return tarHas(f, names)
	}}
}

func tarHas(r io.Reader, names []string) error {
	have := map[string]bool{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not a tar archive: %w", err)
		}
		have[strings.TrimPrefix(h.Name, "./")] = true
	}
	for _, n := range names {
		if !have[n] {
			return fmt.Errorf("the archive has no %s", n)
		}
	}
	return nil
}
