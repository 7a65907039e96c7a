package remote

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// pushImages records the pushes that reach the service's engine.
type pushImages struct {
	engine.ImageEngine
	got []engine.PushOptions
}

func (p *pushImages) Push(ctx context.Context, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	p.got = append(p.got, opts)
	return &engine.PushReport{Digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000"}, nil
}

type pushEngine struct {
	scriptEngine
	imgs *pushImages
}

func (e *pushEngine) Images() engine.ImageEngine { return e.imgs }

// TestPushRefusesSigningKeys checks that a sigstore private key (or its
// passphrase) is refused before anything is sent, while a plain push
// crosses the wire.
func TestPushRefusesSigningKeys(t *testing.T) {
	pe := &pushEngine{imgs: &pushImages{}}
	r := serve(t, pe)
	for _, tc := range []struct {
		name    string
		opts    engine.PushOptions
		refused bool
	}{
		{"plain", engine.PushOptions{Source: "img", Destination: "oci:/tmp/x"}, false},
		{"key", engine.PushOptions{Source: "img", Destination: "oci:/tmp/x", SignBySigstorePrivateKeyFile: "/k.key"}, true},
		{"passphrase", engine.PushOptions{Source: "img", Destination: "oci:/tmp/x", SignSigstorePrivateKeyPassphrase: []byte("p")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(pe.imgs.got)
			_, err := r.Images().Push(context.Background(), tc.opts, nil)
			sent := len(pe.imgs.got) > before
			switch {
			case tc.refused && (!errors.Is(err, errdefs.ErrInvalidArg) || sent):
				t.Errorf("got error %v (sent: %v), want an invalid-argument refusal before sending", err, sent)
			case !tc.refused && (err != nil || !sent):
				t.Errorf("got error %v (sent: %v), want the push to reach the engine", err, sent)
			}
		})
	}
}
