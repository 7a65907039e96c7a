package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func (i *scriptImages) List(ctx context.Context, opts engine.ImageListOptions) (*engine.ImageListReport, error) {
	return &engine.ImageListReport{
		Images: []engine.ImageSummary{{ID: "sha256:good"}},
		Broken: []engine.BrokenImage{{ID: "sha256:bad", Reason: "its manifest is missing"}},
	}, nil
}

// Save writes "archive of NAME", or fails for "nosuch".
func (i *scriptImages) Save(ctx context.Context, opts engine.SaveOptions, out io.Writer) error {
	if opts.Names[0] == "nosuch" {
		return fmt.Errorf("nosuch: image not known: %w", errdefs.ErrNoSuchImage)
	}
	_, err := fmt.Fprintf(out, "archive of %s", opts.Names[0])
	return err
}

func TestListCarriesBrokenImages(t *testing.T) {
	r := serve(t, &scriptEngine{})
	rep, err := r.Images().List(context.Background(), engine.ImageListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Images) != 1 || len(rep.Broken) != 1 || rep.Broken[0].ID != "sha256:bad" || rep.Broken[0].Reason != "its manifest is missing" {
		t.Errorf("list over the wire: %+v", rep)
	}
}

// TestSaveReplacesFile: save -o through a service writes over an existing
// file only once the archive is complete.
func TestSaveReplacesFile(t *testing.T) {
	r := serve(t, &scriptEngine{})
	dir := t.TempDir()
	out := filepath.Join(dir, "out.tar")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := r.Images().Save(context.Background(), engine.SaveOptions{Names: []string{"nosuch"}, Output: out}, nil)
	if !errors.Is(err, errdefs.ErrNoSuchImage) {
		t.Errorf("want ErrNoSuchImage, got %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Errorf("a failed save changed the file to %q", b)
	}
	if err := r.Images().Save(context.Background(), engine.SaveOptions{Names: []string{"x"}, Output: out}, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "archive of x" {
		t.Errorf("the file holds %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("save left files beside the archive: %v", ents)
	}
}
