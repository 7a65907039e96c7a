package client

import (
	"strings"
	"testing"
)

// FuzzParseURI checks that ParseURI never panics, that what it accepts
// formats back to an equal URI, and that nothing it accepts for ssh could
// be read by ssh as an option or by the remote shell as syntax.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"unix:///run/skiff/skiff.sock", "tcp://127.0.0.1:2376", "tcp://[::1]:1",
		"ssh://u@h:22/run/s.sock", "ssh://h", "unix://", "ssh://-x", "tcp://h:", "%", "unix:///a%2Fb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURI(s)
		if err != nil {
			return
		}
		again, err := ParseURI(u.String())
		if err != nil {
			t.Fatalf("ParseURI(%q) = %+v, but its String %q does not parse: %v", s, u, u.String(), err)
		}
		if again != u {
			t.Fatalf("ParseURI(%q) = %+v, String %q parses to %+v", s, u, u.String(), again)
		}
		if u.Scheme == "ssh" {
			for _, word := range []string{u.Host, u.User, u.Path} {
				if strings.HasPrefix(word, "-") || strings.ContainsAny(word, " \t\n;&|`$'\"\\") {
					t.Fatalf("ParseURI(%q) accepted unsafe ssh word %q", s, word)
				}
			}
		}
	})
}
