package image

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containers/storage"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// bigDataFile is where containers/storage keeps an image's big-data item
// key: the key itself when it is made of [0-9a-z.], else "=" + base64.
func bigDataFile(s *Store, id, key string) string {
	name := key
	for _, c := range key {
		if c != '.' && (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			name = "=" + base64.StdEncoding.EncodeToString([]byte(key))
			break
		}
	}
	return filepath.Join(s.store.GraphRoot(), s.store.GraphDriverName()+"-images", id, name)
}

// breakImage removes the big-data items of image id that match drop.
func breakImage(t *testing.T, s *Store, id string, drop func(key string) bool) {
	t.Helper()
	img, err := s.store.Image(id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, key := range img.BigDataNames {
		if drop(key) {
			if err := os.Remove(bigDataFile(s, id, key)); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatalf("image %s has no item to remove among %v", id, img.BigDataNames)
	}
}

func isManifestKey(key string) bool { return strings.HasPrefix(key, storage.ImageDigestBigDataKey) }

func TestBrokenImages(t *testing.T) {
	tests := []struct {
		name        string
		drop        func(key string) bool
		wantReason  string
		lookupFails bool
	}{
		{"manifest missing", isManifestKey, "its manifest is missing", false},
		{"config missing", func(key string) bool { return strings.HasPrefix(key, "sha256:") }, "its config is missing", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := newTestStore(t)
			good := importTiny(t, s, "localhost/good:1")
			bad := importTiny(t, s, "localhost/bad:1")
			breakImage(t, s, bad, tt.drop)

			rep, err := s.List(ctx, engine.ImageListOptions{})
			if err != nil {
				t.Fatalf("list gave up: %v", err)
			}
			if len(rep.Images) != 1 || rep.Images[0].ID != "sha256:"+good {
				t.Errorf("list: want only the good image, got %+v", rep.Images)
			}
			if len(rep.Broken) != 1 || rep.Broken[0].ID != "sha256:"+bad || rep.Broken[0].Reason != tt.wantReason {
				t.Errorf("list: want %s broken because %q, got %+v", bad, tt.wantReason, rep.Broken)
			}

			calls := map[string]func() error{
				"inspect": func() error { _, err := s.Inspect(ctx, "localhost/bad:1"); return err },
				"history": func() error { _, err := s.History(ctx, bad); return err },
			}
			if tt.lookupFails {
				// What run and create need is the config; they do not
				// read the manifest, so as not to slow down every run.
				calls["lookup"] = func() error { _, err := s.Lookup(ctx, "localhost/bad:1"); return err }
			}
			for what, call := range calls {
				err := call()
				if err == nil || !strings.Contains(err.Error(), "is broken: "+tt.wantReason) || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s: want one line saying the image is broken because %s, got %v", what, tt.wantReason, err)
				}
			}

			out, err := s.Remove(ctx, []string{bad[:12]}, engine.ImageRemoveOptions{})
			if err != nil || len(out) != 1 || out[0].Deleted != "sha256:"+bad {
				t.Fatalf("rmi of the broken image: %+v, %v", out, err)
			}
			rep, err = s.List(ctx, engine.ImageListOptions{})
			if err != nil || len(rep.Broken) != 0 || len(rep.Images) != 1 {
				t.Errorf("list after rmi: %+v, %v", rep, err)
			}
		})
	}
}

// TestPruneBroken: prune, without -a, removes a broken image even when it
// is named, but not one a container uses, nor a good unused one.
func TestPruneBroken(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	good := importTiny(t, s, "localhost/good:1")
	named := importTiny(t, s, "localhost/bad:1")
	used := importTiny(t, s, "localhost/used:1")
	newContainer(t, s, used)
	for _, id := range []string{named, used} {
		breakImage(t, s, id, isManifestKey)
	}
	// An unnamed image recorded without any data, as a commit killed
	// right after creating it used to leave.
	half, err := s.store.CreateImage("", nil, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}

	rep, err := s.Prune(ctx, engine.ImagePruneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	deleted := map[string]bool{}
	for _, d := range rep.Deleted {
		deleted[strings.TrimPrefix(d.Deleted, "sha256:")] = true
	}
	for id, want := range map[string]bool{good: false, named: true, used: false, half.ID: true} {
		if deleted[id] != want {
			t.Errorf("image %s: deleted %v, want %v (report %+v)", id[:12], deleted[id], want, rep.Deleted)
		}
		if _, err := s.store.Image(id); (err == nil) == want {
			t.Errorf("image %s: still there = %v after prune", id[:12], err == nil)
		}
	}

	// A filtered prune cannot tell whether a broken image matches.
	s2 := newTestStore(t)
	bad := importTiny(t, s2, "localhost/bad:1")
	breakImage(t, s2, bad, isManifestKey)
	if _, err := s2.Prune(ctx, engine.ImagePruneOptions{Filters: map[string][]string{"label": {"a=b"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.store.Image(bad); err != nil {
		t.Errorf("a filtered prune removed a broken image: %v", err)
	}
}
