package oci

import (
	"fmt"
	"strings"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// DefaultDetachKeys is the detach sequence Docker and Podman use.
const DefaultDetachKeys = "ctrl-p,ctrl-q"

// ctrlKeys lists the names of control characters 0..31 in Docker's format.
var ctrlKeys = func() []string {
	keys := make([]string, 0, 32)
	keys = append(keys, "ctrl-@")
	for c := 'a'; c <= 'z'; c++ {
		keys = append(keys, "ctrl-"+string(c))
	}
	return append(keys, "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_")
}()

// ParseDetachKeys turns a Docker-style key list ("ctrl-p,ctrl-q", "a",
// "ctrl-@", "DEL") into the byte sequence that detaches. The empty string
// disables detaching and yields nil.
func ParseDetachKeys(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	var out []byte
	for _, key := range strings.Split(s, ",") {
		b, ok := parseKey(key)
		if !ok {
			return nil, fmt.Errorf("invalid detach key %q in %q: want ctrl-<a-z@[\\]^_>, DEL or a single character: %w", key, s, errdefs.ErrInvalidArg)
		}
		out = append(out, b)
	}
	return out, nil
}

func parseKey(key string) (byte, bool) {
	if len(key) == 1 {
		return key[0], true
	}
	if key == "DEL" {
		return 127, true
	}
	for code, name := range ctrlKeys {
		if strings.EqualFold(key, name) {
			return byte(code), true
		}
	}
	return 0, false
}

// detachScanner watches an input stream for the detach sequence. Bytes that
// may start the sequence are held back until the sequence either completes
// (they are swallowed) or breaks (they are passed on).
type detachScanner struct {
	keys    []byte
	matched int
}

// scan returns the bytes of p to forward and whether the sequence
// completed; bytes after a completed sequence are dropped.
func (d *detachScanner) scan(p []byte) ([]byte, bool) {
	if len(d.keys) == 0 {
		return p, false
	}
	out := make([]byte, 0, len(p)+d.matched)
	for _, b := range p {
		if b == d.keys[d.matched] {
			d.matched++
			if d.matched == len(d.keys) {
				return out, true
			}
			continue
		}
		// The held-back prefix was ordinary input after all.
		out = append(out, d.keys[:d.matched]...)
		d.matched = 0
		if b == d.keys[0] {
			d.matched = 1
			if len(d.keys) == 1 {
				return out, true
			}
			continue
		}
		out = append(out, b)
	}
	return out, false
}
