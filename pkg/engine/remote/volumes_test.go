package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func (e *scriptEngine) Volumes() engine.VolumeEngine { return &scriptVolumes{data: map[string][]byte{"data": []byte("tar bytes")}} }

// scriptVolumes knows one volume, "data", used by container "web".
type scriptVolumes struct {
	engine.VolumeEngine
	data map[string][]byte
}

func (s *scriptVolumes) Remove(_ context.Context, names []string, opts engine.VolumeRemoveOptions) ([]engine.ActionReport, error) {
	var out []engine.ActionReport
	for _, n := range names {
		var err error
		switch {
		case s.data[n] == nil:
			err = fmt.Errorf("no volume %q: %w", n, errdefs.ErrNoSuchVolume)
		case !opts.Force:
			err = fmt.Errorf("volume %s is being used by container web: %w", n, errdefs.ErrVolumeInUse)
		}
		out = append(out, engine.ActionReport{ID: n, RawInput: n, Err: err})
	}
	return out, nil
}

func (s *scriptVolumes) Export(_ context.Context, name string, out io.Writer) error {
	if s.data[name] == nil {
		return fmt.Errorf("no volume %q: %w", name, errdefs.ErrNoSuchVolume)
	}
	_, err := out.Write(s.data[name])
	return err
}

func (s *scriptVolumes) Import(_ context.Context, name string, in io.Reader) error {
	b, err := io.ReadAll(in)
	if string(b) != "new archive" {
		return fmt.Errorf("import of %s got %q: %w", name, b, errdefs.ErrInvalidArg)
	}
	return err
}

// TestVolumesOverTheWire: per-name errors keep their class, and export and
// import stream the archive both ways.
func TestVolumesOverTheWire(t *testing.T) {
	ctx := context.Background()
	vols := serve(t, &scriptEngine{}).Volumes()
	reports, err := vols.Remove(ctx, []string{"data", "gone"}, engine.VolumeRemoveOptions{})
	if err != nil || len(reports) != 2 {
		t.Fatalf("remove: %v, %+v", err, reports)
	}
	for i, want := range []error{errdefs.ErrVolumeInUse, errdefs.ErrNoSuchVolume} {
		if !errors.Is(reports[i].Err, want) {
			t.Errorf("remove %s: err = %v, want %v", reports[i].RawInput, reports[i].Err, want)
		}
	}
	var buf bytes.Buffer
	if err := vols.Export(ctx, "data", &buf); err != nil || buf.String() != "tar bytes" {
		t.Fatalf("export = %q, %v", buf.String(), err)
	}
	if err := vols.Export(ctx, "gone", io.Discard); !errors.Is(err, errdefs.ErrNoSuchVolume) {
		t.Fatalf("export of a missing volume: %v", err)
	}
	if err := vols.Import(ctx, "data", bytes.NewBufferString("new archive")); err != nil {
		t.Fatalf("import: %v", err)
	}
	if err := vols.Import(ctx, "data", bytes.NewBufferString("other")); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Fatalf("import of a bad archive: %v", err)
	}
}
