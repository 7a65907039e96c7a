package image

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// TestBadNames: a string that is no image reference is the user's mistake
// (invalid, HTTP 400), named once in a one-line message.
func TestBadNames(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	importTiny(t, s, "localhost/tiny:1")
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"lookup of a path", func() error { _, err := s.Lookup(ctx, "../../etc/passwd"); return err },
			"../../etc/passwd: invalid reference format: invalid argument"},
		{"lookup with uppercase", func() error { _, err := s.Lookup(ctx, "Tiny"); return err },
			"Tiny: repository name must be lowercase: invalid argument"},
		{"tag with a space", func() error { return s.Tag(ctx, "localhost/tiny:1", "bad tag") },
			`tagging localhost/tiny:1 as "bad tag": invalid reference format: invalid argument`},
		{"tag with a bad tag", func() error { return s.Tag(ctx, "localhost/tiny:1", "x:bad tag") },
			`tagging localhost/tiny:1 as "x:bad tag": invalid reference format: invalid argument`},
		{"untag with a space", func() error { return s.Untag(ctx, "localhost/tiny:1", []string{"bad tag"}) },
			`untagging bad tag: invalid reference format: invalid argument`},
		{"remove of a path", func() error { _, err := s.Remove(ctx, []string{"../x"}, engine.ImageRemoveOptions{}); return err },
			`parsing reference "../x": invalid reference format: invalid argument`},
		{"pull of a path", func() error { _, err := s.Pull(ctx, engine.PullOptions{Reference: "../x"}, nil); return err },
			`pulling ../x: invalid reference format: invalid argument`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if !errors.Is(err, errdefs.ErrInvalidArg) || err.Error() != c.want {
				t.Fatalf("got %v (invalid: %v), want %q", err, errors.Is(err, errdefs.ErrInvalidArg), c.want)
			}
			if strings.Count(err.Error(), `bad tag`) > 1 {
				t.Errorf("the name is repeated: %v", err)
			}
		})
	}
}
