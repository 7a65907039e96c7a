package remote

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// loginImages accepts one user and password, as a registry would.
type loginImages struct {
	engine.ImageEngine
	got engine.LoginOptions
}

func (l *loginImages) Login(ctx context.Context, opts engine.LoginOptions) error {
	l.got = opts
	if opts.Username != "u" || opts.Password != "p" {
		return fmt.Errorf("logging in to %s: %w", opts.Registry, errdefs.ErrAuthRequired)
	}
	return nil
}

type loginEngine struct {
	scriptEngine
	imgs *loginImages
}

func (e *loginEngine) Images() engine.ImageEngine { return e.imgs }

func TestLoginCrossesTheWire(t *testing.T) {
	le := &loginEngine{imgs: &loginImages{}}
	r := serve(t, le)
	no := false
	opts := engine.LoginOptions{Registry: "127.0.0.1:5000", Username: "u", Password: "p", TLSVerify: &no, CertDir: "/certs"}
	if err := r.Images().Login(context.Background(), opts); err != nil {
		t.Fatalf("login: %v", err)
	}
	if g := le.imgs.got; g.Registry != opts.Registry || g.TLSVerify == nil || *g.TLSVerify || g.CertDir != "/certs" {
		t.Errorf("the engine got %+v", g)
	}
	opts.Password = "wrong"
	err := r.Images().Login(context.Background(), opts)
	if !errors.Is(err, errdefs.ErrAuthRequired) || errdefs.HTTPStatus(err) != 401 {
		t.Errorf("wrong password: %v (status %d), want an unauthorized error", err, errdefs.HTTPStatus(err))
	}
}
