package oci

import (
	"bytes"
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseDetachKeys(t *testing.T) {
	cases := []struct {
		in      string
		want    []byte
		wantErr bool
	}{
		{in: "", want: nil},
		{in: "ctrl-p,ctrl-q", want: []byte{16, 17}},
		{in: "a", want: []byte{'a'}},
		{in: "ctrl-@", want: []byte{0}},
		{in: "ctrl-a,x,ctrl-z", want: []byte{1, 'x', 26}},
		{in: "ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", want: []byte{27, 28, 29, 30, 31}},
		{in: "DEL", want: []byte{127}},
		{in: "ctrl-P", want: []byte{16}},
		{in: "ctrl-1", wantErr: true},
		{in: "ab", wantErr: true},
		{in: "ctrl-p,", wantErr: true},
	}
	for _, tc := range cases {
		got, err := ParseDetachKeys(tc.in)
		if tc.wantErr {
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Errorf("ParseDetachKeys(%q) error = %v, want ErrInvalidArg", tc.in, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("ParseDetachKeys(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestDetachScanner(t *testing.T) {
	pq := []byte{16, 17}
	cases := []struct {
		name     string
		keys     []byte
		chunks   []string
		want     string
		detached bool
	}{
		{name: "no keys", keys: nil, chunks: []string{"ab\x10\x11c"}, want: "ab\x10\x11c"},
		{name: "plain", keys: pq, chunks: []string{"hello"}, want: "hello"},
		{name: "detach", keys: pq, chunks: []string{"ab\x10\x11cd"}, want: "ab", detached: true},
		{name: "split over reads", keys: pq, chunks: []string{"ab\x10", "\x11"}, want: "ab", detached: true},
		{name: "broken prefix passes through", keys: pq, chunks: []string{"a\x10", "b"}, want: "a\x10b"},
		{name: "repeated first key", keys: pq, chunks: []string{"\x10\x10\x11"}, want: "\x10", detached: true},
		{name: "single key", keys: []byte{'q'}, chunks: []string{"abq"}, want: "ab", detached: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := detachScanner{keys: tc.keys}
			var out []byte
			detached := false
			for _, c := range tc.chunks {
				o, det := d.scan([]byte(c))
				out = append(out, o...)
				if det {
					detached = true
					break
				}
			}
			if string(out) != tc.want || detached != tc.detached {
				t.Errorf("scan = %q, %v; want %q, %v", out, detached, tc.want, tc.detached)
			}
		})
	}
}
