package image

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// TestTransferProgress copies a one-layer image through an OCI layout into
// a second store, twice: the second pull finds the layer present and must
// say so, both in the plain lines and in the events.
func TestTransferProgress(t *testing.T) {
	ctx := context.Background()
	src := newTestStore(t)
	importTiny(t, src, "localhost/tiny:1")
	layout := "oci:" + filepath.Join(t.TempDir(), "layout") + ":tiny"

	var pushed events
	var pushLines bytes.Buffer
	if _, err := src.Push(ctx, engine.PushOptions{Source: "localhost/tiny:1", Destination: layout, OnLayer: pushed.add}, &pushLines); err != nil {
		t.Fatal(err)
	}
	if got := pushed.kinds(false); got != "started done" {
		t.Errorf("push layer events %q, want %q", got, "started done")
	}

	dst := newTestStore(t)
	cases := []struct {
		name       string
		wantEvents string
		wantLine   string
	}{
		{"first pull copies the layer", "started done", "Copying blob sha256:"},
		{"second pull finds it", "skipped", " skipped: already exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ev events
			var out bytes.Buffer
			if _, err := dst.Pull(ctx, engine.PullOptions{Reference: layout, Policy: "always", OnLayer: ev.add}, &out); err != nil {
				t.Fatal(err)
			}
			if got := ev.kinds(false); got != c.wantEvents {
				t.Errorf("layer events %q, want %q", got, c.wantEvents)
			}
			if got := ev.kinds(true); got != "started done" {
				t.Errorf("config events %q, want %q", got, "started done")
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			var blob []string
			for _, l := range lines {
				if strings.HasPrefix(l, "Copying blob ") {
					blob = append(blob, l)
				}
			}
			if len(blob) != 1 || !strings.Contains(blob[0], c.wantLine) {
				t.Errorf("blob lines %q, want one containing %q (all output:\n%s)", blob, c.wantLine, out.String())
			}
			if c.wantEvents == "started done" && strings.Contains(blob[0], "skipped") {
				t.Errorf("a copied blob was reported skipped: %q", blob[0])
			}
			if last := lines[len(lines)-1]; last != "Writing manifest to image destination" {
				t.Errorf("last line %q: containers/image's own lines must still come through, in order", last)
			}
		})
	}
}

func TestBlobLineFilter(t *testing.T) {
	var out bytes.Buffer
	r := &reporter{out: &out}
	f := &blobLineFilter{r: r}
	for _, chunk := range []string{"Getting image ", "source signatures\nCopying bl", "ob sha256:aa\nCopying config sha256:bb\n", "Writing manifest", " to image destination\n", "Storing"} {
		f.Write([]byte(chunk))
	}
	f.flush()
	want := "Getting image source signatures\nWriting manifest to image destination\nStoring"
	if out.String() != want {
		t.Errorf("filtered %q, want %q", out.String(), want)
	}
}

// events collects OnLayer calls.
type events struct {
	mu  sync.Mutex
	got []engine.LayerProgress
}

func (e *events) add(p engine.LayerProgress) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, p)
}

// kinds lists the config's or the layers' events, reads left out (their
// number depends on timing).
func (e *events) kinds(config bool) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var k []string
	for _, p := range e.got {
		if p.Config == config && p.Event != engine.LayerRead {
			k = append(k, string(p.Event))
		}
	}
	return strings.Join(k, " ")
}
