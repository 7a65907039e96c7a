package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/containers/image/v5/manifest"
	"github.com/containers/storage"
	"github.com/containers/storage/pkg/stringid"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// oneFileLayer is an uncompressed layer diff holding one file.
func oneFileLayer(t *testing.T, name string) *bytes.Reader {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 1, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte("x"))
	tw.Close()
	return bytes.NewReader(buf.Bytes())
}

// newContainer makes a container's storage from image, with one file
// written into it, as a committable container.
func newContainer(t *testing.T, s *Store, image string) string {
	t.Helper()
	ctr, err := s.store.CreateContainer("", nil, image, "", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := s.store.Mount(ctr.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mp, "changed"), []byte("yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Unmount(ctr.ID, true); err != nil {
		t.Fatal(err)
	}
	return ctr.ID
}

// storeCounts is how many images and layers the store holds.
func storeCounts(t *testing.T, s *Store) (images, layers int) {
	t.Helper()
	imgs, err := s.store.Images()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := s.store.Layers()
	if err != nil {
		t.Fatal(err)
	}
	return len(imgs), len(ls)
}

func pendingEntries(t *testing.T, s *Store) []string {
	t.Helper()
	ents, err := os.ReadDir(pendingDir(s.store))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestRecoverCommits leaves the store as a commit that died at each step
// would, and checks that recovery undoes exactly that commit's writes.
func TestRecoverCommits(t *testing.T) {
	type step int
	const (
		marked      step = iota // marker written, nothing else
		spooled                 // the container's changes copied beside it
		layered                 // the layer stored
		created                 // the unnamed image recorded, no data
		dataWritten             // config and manifest written
		named                   // the image named: committed
	)
	tests := []struct {
		name      string
		diedAfter step
		alive     bool
		wantImage bool // the commit's image survives
		wantLayer bool
	}{
		{"marker only", marked, false, false, false},
		{"spool written", spooled, false, false, false},
		{"layer stored", layered, false, false, false},
		{"image recorded without data", created, false, false, false},
		{"image complete but unnamed", dataWritten, false, false, false},
		{"image named", named, false, true, true},
		{"commit still running", dataWritten, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := newTestStore(t)
			baseID := importTiny(t, s, "localhost/base:1")
			base, err := s.store.Image(baseID)
			if err != nil {
				t.Fatal(err)
			}
			images0, layers0 := storeCounts(t, s)

			layer, image := stringid.GenerateRandomID(), stringid.GenerateRandomID()
			p, err := beginCommit(pendingDir(s.store), layer)
			if err != nil {
				t.Fatal(err)
			}
			if tt.diedAfter >= spooled {
				if err := os.WriteFile(p.spoolPath(), []byte("diff"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tt.diedAfter >= layered {
				if _, _, err := s.store.PutLayer(layer, base.TopLayer, nil, "", false, nil, oneFileLayer(t, "new")); err != nil {
					t.Fatal(err)
				}
			}
			if tt.diedAfter >= created {
				if err := p.setImage(image); err != nil {
					t.Fatal(err)
				}
				if _, err := s.store.CreateImage(image, nil, layer, "", nil); err != nil {
					t.Fatal(err)
				}
			}
			if tt.diedAfter >= dataWritten {
				cfg, _ := s.store.ImageBigData(baseID, "sha256:"+baseID)
				mf, _ := s.store.ImageBigData(baseID, storage.ImageDigestBigDataKey)
				if err := s.store.SetImageBigData(image, "sha256:"+baseID, cfg, nil); err != nil {
					t.Fatal(err)
				}
				if err := s.store.SetImageBigData(image, storage.ImageDigestBigDataKey, mf, manifest.Digest); err != nil {
					t.Fatal(err)
				}
			}
			if tt.diedAfter >= named {
				if err := s.store.AddNames(image, []string{"localhost/committed:1"}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.alive {
				defer p.finish()
			} else {
				p.release() // what the kernel does when the process dies
			}

			s.recoverCommits()

			_, err = s.store.Image(image)
			if gotImage := err == nil; gotImage != tt.wantImage {
				t.Errorf("image survives: %v, want %v (%v)", gotImage, tt.wantImage, err)
			}
			_, err = s.store.Layer(layer)
			if gotLayer := err == nil; gotLayer != tt.wantLayer {
				t.Errorf("layer survives: %v, want %v (%v)", gotLayer, tt.wantLayer, err)
			}
			if _, err := s.store.Image(baseID); err != nil {
				t.Errorf("recovery removed the base image: %v", err)
			}
			left := pendingEntries(t, s)
			if tt.alive && len(left) != 2 {
				t.Errorf("a running commit's marker was touched: %v", left)
			}
			if !tt.alive && len(left) != 0 {
				t.Errorf("recovery left %v in the pending directory", left)
			}
			if !tt.wantImage {
				images, layers := storeCounts(t, s)
				if images != images0 || layers != layers0 {
					t.Errorf("store holds %d images and %d layers, want %d and %d as before the commit", images, layers, images0, layers0)
				}
			}
			rep, err := s.List(ctx, engine.ImageListOptions{All: true})
			if err != nil || len(rep.Broken) != 0 {
				t.Errorf("list after recovery: %+v, %v", rep, err)
			}
		})
	}
}

// TestRecoverSkipsOtherImage: a marker naming an image ID that another
// image holds (this commit's creation failed as a duplicate) must not
// remove that image.
func TestRecoverSkipsOtherImage(t *testing.T) {
	s := newTestStore(t)
	other := importTiny(t, s, "")
	layer := stringid.GenerateRandomID()
	p, err := beginCommit(pendingDir(s.store), layer)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.setImage(other); err != nil {
		t.Fatal(err)
	}
	p.release()
	s.recoverCommits()
	if _, err := s.store.Image(other); err != nil {
		t.Errorf("recovery removed an image its commit did not make: %v", err)
	}
	if left := pendingEntries(t, s); len(left) != 0 {
		t.Errorf("marker left: %v", left)
	}
}

func TestCommit(t *testing.T) {
	tests := []struct {
		name    string
		ref     string
		wantErr error
		want    string // the name the image gets
	}{
		{"named", "localhost/committed:1", nil, "localhost/committed:1"},
		{"short name", "committed", nil, "localhost/committed:latest"},
		{"unnamed", "", nil, ""},
		{"name with a space", "bad tag", errdefs.ErrInvalidArg, ""},
		{"upper case", "Bad:1", errdefs.ErrInvalidArg, ""},
		{"an image ID", "sha256:" + stringid.GenerateRandomID(), errdefs.ErrInvalidArg, ""},
		{"a digest", "localhost/x@sha256:" + stringid.GenerateRandomID(), errdefs.ErrInvalidArg, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := newTestStore(t)
			baseID := importTiny(t, s, "localhost/base:1")
			ctr := newContainer(t, s, baseID)
			images0, layers0 := storeCounts(t, s)
			id, err := s.Commit(ctx, CommitOptions{Container: ctr, Reference: tt.ref})
			if left := pendingEntries(t, s); len(left) != 0 {
				t.Errorf("the commit left %v in the pending directory", left)
			}
			images, layers := storeCounts(t, s)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("want %v, got %v", tt.wantErr, err)
				}
				if images != images0 || layers != layers0 {
					t.Errorf("a failed commit left %d images and %d layers, want %d and %d", images, layers, images0, layers0)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if images != images0+1 || layers != layers0+1 {
				t.Errorf("after a commit: %d images and %d layers, want %d and %d", images, layers, images0+1, layers0+1)
			}
			img, err := s.store.Image(id)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" && len(img.Names) != 0 || tt.want != "" && (len(img.Names) != 1 || img.Names[0] != tt.want) {
				t.Errorf("names %v, want %q", img.Names, tt.want)
			}
			if reason := s.diagnose(id); reason != "" {
				t.Errorf("the committed image is broken: %s", reason)
			}
		})
	}
}

// TestCommitMovesName: committing to a name another image holds moves the
// name, in the same write that names the new image.
func TestCommitMovesName(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	baseID := importTiny(t, s, "localhost/app:1")
	ctr := newContainer(t, s, baseID)
	id, err := s.Commit(ctx, CommitOptions{Container: ctr, Reference: "localhost/app:1"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Lookup(ctx, "localhost/app:1")
	if err != nil || got.ID != id {
		t.Fatalf("the name points at %v (%v), want the new image %s", got, err, id)
	}
	base, err := s.store.Image(baseID)
	if err != nil || len(base.Names) != 0 {
		t.Errorf("the old image keeps names %v (%v)", base.Names, err)
	}
}

// BenchmarkRecoverCommitsIdle is the cost every store open pays: one
// ReadDir of a directory that is missing (no commit ever ran) or empty.
func BenchmarkRecoverCommitsIdle(b *testing.B) {
	s := newTestStore(b)
	b.Run("missing", func(b *testing.B) {
		for b.Loop() {
			s.recoverCommits()
		}
	})
	if err := os.MkdirAll(pendingDir(s.store), 0o700); err != nil {
		b.Fatal(err)
	}
	b.Run("empty", func(b *testing.B) {
		for b.Loop() {
			s.recoverCommits()
		}
	})
}
