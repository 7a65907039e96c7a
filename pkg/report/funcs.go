package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"text/template"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// funcs are the template functions Docker's CLI gives every template
// (docker/cli templates.basicFunctions); println and the other Go builtins
// come with text/template.
func funcs() template.FuncMap {
	title := cases.Title(language.Und, cases.NoLower)
	return template.FuncMap{
		"json":     jsonString,
		"split":    strings.Split,
		"join":     strings.Join,
		"title":    title.String,
		"lower":    strings.ToLower,
		"upper":    strings.ToUpper,
		"pad":      pad,
		"truncate": truncate,
	}
}

// jsonString encodes v on one line without HTML escaping, as Docker's json
// template function does.
func jsonString(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// pad surrounds a non-empty s with prefix and suffix spaces.
func pad(s string, prefix, suffix int) string {
	if s == "" {
		return s
	}
	return strings.Repeat(" ", prefix) + s + strings.Repeat(" ", suffix)
}

// truncate cuts s to at most n bytes, as Docker's truncate does.
func truncate(s string, n int) string {
	if n < 0 || len(s) < n {
		return s
	}
	return s[:n]
}
