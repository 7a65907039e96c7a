package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/containers/storage"
	ociv1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/skiffcontainers/skiff/pkg/config"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// newTestStore opens a vfs store in a temporary directory (root only:
// containers/storage chowns layer contents).
func newTestStore(t testing.TB) *Store {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for containers/storage")
	}
	dir := t.TempDir()
	st, err := storage.GetStore(storage.StoreOptions{
		GraphRoot: filepath.Join(dir, "root"), RunRoot: filepath.Join(dir, "run"), GraphDriverName: "vfs",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = st.Shutdown(true) })
	// The built-in policy, never the host's: the test must not depend on
	// what containers-common left in /etc/containers.
	s, err := New(st, config.PolicyLocator{Home: dir, SystemPath: filepath.Join(dir, "no-system-policy.json"),
		BuiltinPath: filepath.Join(dir, "policy.json")})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// importTiny imports a one-file rootfs as ref.
func importTiny(t *testing.T, s *Store, ref string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	body := []byte("hello\n")
	if err := tw.WriteHeader(&tar.Header{Name: "hello.txt", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	tw.Write(body)
	tw.Close()
	path := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	id, err := s.Import(context.Background(), ImportOptions{Path: path, Reference: ref, Message: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSaveLoadUntagHistory(t *testing.T) {
	ctx := context.Background()
	src := newTestStore(t)
	id := importTiny(t, src, "localhost/tiny:1")
	for _, format := range []string{"docker-archive", "oci-archive"} {
		t.Run(format, func(t *testing.T) {
			var archive bytes.Buffer
			if err := src.Save(ctx, engine.SaveOptions{Names: []string{"localhost/tiny:1"}, Format: format}, &archive); err != nil {
				t.Fatal(err)
			}
			dst := newTestStore(t)
			rep, err := dst.Load(ctx, engine.LoadOptions{}, bytes.NewReader(archive.Bytes()), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Names) != 1 {
				t.Fatalf("load reported %v", rep.Names)
			}
			img, err := dst.Lookup(ctx, "localhost/tiny:1")
			if err != nil {
				t.Fatal(err)
			}
			if img.ID != id {
				t.Errorf("loaded ID %s, saved %s", img.ID, id)
			}
			hist, err := dst.History(ctx, "localhost/tiny:1")
			if err != nil || len(hist) != 1 || hist[0].Comment != "tiny" {
				t.Errorf("history = %+v, %v; want one entry with the import message", hist, err)
			}
			if err := dst.Untag(ctx, "localhost/tiny:1", nil); err != nil {
				t.Fatal(err)
			}
			if ok, _ := dst.Exists(ctx, "localhost/tiny:1"); ok {
				t.Errorf("the name survived untag")
			}

			bad := newTestStore(t)
			_, err = bad.Load(ctx, engine.LoadOptions{}, bytes.NewReader(archive.Bytes()[:archive.Len()/2]), nil)
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Errorf("a truncated archive: want an invalid-argument error, got %v", err)
			}
			list, err := bad.List(ctx, engine.ImageListOptions{All: true})
			if err != nil || len(list.Images)+len(list.Broken) != 0 {
				t.Errorf("a failed load left images: %v, %v", list, err)
			}
		})
	}
	if err := src.Save(ctx, engine.SaveOptions{Names: []string{"localhost/nosuch:1"}}, &bytes.Buffer{}); !errors.Is(err, errdefs.ErrNoSuchImage) {
		t.Errorf("saving an unknown image: want ErrNoSuchImage, got %v", err)
	}
	if err := src.Save(ctx, engine.SaveOptions{Names: []string{"localhost/tiny:1"}, Format: "oci-dir"}, &bytes.Buffer{}); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("oci-dir to a stream: want ErrInvalidArg, got %v", err)
	}
}

func TestApplyConfig(t *testing.T) {
	tests := []struct {
		name string
		base ociv1.ImageConfig
		opts CommitOptions
		want ociv1.ImageConfig
	}{
		{"container overrides",
			ociv1.ImageConfig{Cmd: []string{"sh"}, Env: []string{"A=1"}},
			CommitOptions{Config: &ociv1.ImageConfig{Cmd: []string{"top"}, Env: []string{"B=2"}, WorkingDir: "/w"}},
			ociv1.ImageConfig{Cmd: []string{"top"}, Env: []string{"A=1", "B=2"}, WorkingDir: "/w"}},
		{"changes win",
			ociv1.ImageConfig{Cmd: []string{"sh"}, Labels: map[string]string{"a": "1"}},
			CommitOptions{Config: &ociv1.ImageConfig{Cmd: []string{"top"}}, Changes: []string{`CMD ["cat"]`, "LABEL b=2", "USER nobody"}},
			ociv1.ImageConfig{Cmd: []string{"cat"}, Labels: map[string]string{"a": "1", "b": "2"}, User: "nobody"}},
		{"empty overrides keep the base",
			ociv1.ImageConfig{Cmd: []string{"sh"}, Entrypoint: []string{"/init"}},
			CommitOptions{Config: &ociv1.ImageConfig{}},
			ociv1.ImageConfig{Cmd: []string{"sh"}, Entrypoint: []string{"/init"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := &ociv1.Image{Config: tt.base}
			if err := applyConfig(img, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(img.Config, tt.want) {
				t.Errorf("config = %+v, want %+v", img.Config, tt.want)
			}
			if img.Created == nil || len(img.History) != 1 {
				t.Errorf("want a creation time and one history entry, got %v %v", img.Created, img.History)
			}
		})
	}
	if err := applyConfig(&ociv1.Image{}, CommitOptions{Changes: []string{"BOGUS x"}}); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("an unknown instruction: want ErrInvalidArg, got %v", err)
	}
}

// TestSaveReplacesFile: save -o writes over a file already there, as
// Docker does, and a failed save leaves that file as it was.
func TestSaveReplacesFile(t *testing.T) {
	ctx := context.Background()
	src := newTestStore(t)
	id := importTiny(t, src, "localhost/tiny:1")
	for _, format := range []string{"docker-archive", "oci-archive"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.tar")
			old := []byte("an older archive\n")
			if err := os.WriteFile(out, old, 0o644); err != nil {
				t.Fatal(err)
			}
			err := src.Save(ctx, engine.SaveOptions{Names: []string{"localhost/nosuch:1"}, Format: format, Output: out}, nil)
			if !errors.Is(err, errdefs.ErrNoSuchImage) {
				t.Errorf("saving an unknown image: want ErrNoSuchImage, got %v", err)
			}
			if got, _ := os.ReadFile(out); !bytes.Equal(got, old) {
				t.Errorf("a failed save changed the file: %q", got)
			}

			if err := src.Save(ctx, engine.SaveOptions{Names: []string{"localhost/tiny:1"}, Format: format, Output: out}, nil); err != nil {
				t.Fatalf("saving over a file: %v", err)
			}
			dst := newTestStore(t)
			if _, err := dst.Load(ctx, engine.LoadOptions{Input: out}, nil, nil); err != nil {
				t.Fatalf("loading the saved archive: %v", err)
			}
			if img, err := dst.Lookup(ctx, "localhost/tiny:1"); err != nil || img.ID != id {
				t.Errorf("loaded %+v, %v; want image %s", img, err, id)
			}
			// Through a link, the file it points to is replaced.
			link := filepath.Join(dir, "link.tar")
			if err := os.Symlink(out, link); err != nil {
				t.Fatal(err)
			}
			if err := src.Save(ctx, engine.SaveOptions{Names: []string{"localhost/tiny:1"}, Format: format, Output: link}, nil); err != nil {
				t.Fatalf("saving through a link: %v", err)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link was replaced: %v %v", fi, err)
			}
			ents, _ := os.ReadDir(dir)
			if len(ents) != 2 {
				t.Errorf("save left files behind: %v", ents)
			}
		})
	}
}
