package remote

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

type images struct {
	c *client.Client
}

// Import uploads the tarball at opts.Source, a path on the client's host,
// in the request body; the service spools it and imports it there.
func (e *images) Import(ctx context.Context, opts engine.ImportOptions) (*engine.ImportReport, error) {
	f, err := os.Open(opts.Source)
	if err != nil {
		return nil, fmt.Errorf("opening the tarball: %w", err)
	}
	defer f.Close()
	remoteOpts := opts
	remoteOpts.Source = ""
	var out engine.ImportReport
	if err := e.c.Upload(ctx, "/images/import", remoteOpts, f, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *images) List(ctx context.Context, opts engine.ImageListOptions) (*engine.ImageListReport, error) {
	var out engine.ImageListReport
	if err := e.c.Do(ctx, http.MethodPost, "/images/list", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *images) Remove(ctx context.Context, names []string, opts engine.ImageRemoveOptions) ([]engine.ImageRemoveReport, error) {
	var out []engine.ImageRemoveReport
	err := e.c.Do(ctx, http.MethodPost, "/images/remove", bulk(names, opts), &out)
	return out, err
}

func (e *images) Exists(ctx context.Context, name string) (bool, error) {
	var out wire.Exists
	err := e.c.Do(ctx, http.MethodGet, "/images/exists?name="+url.QueryEscape(name), nil, &out)
	return out.Exists, err
}

func (e *images) Inspect(ctx context.Context, names []string) ([]engine.InspectImage, error) {
	var out []engine.InspectImage
	err := e.c.Do(ctx, http.MethodPost, "/images/inspect", bulk(names, struct{}{}), &out)
	return out, err
}

func (e *images) Tag(ctx context.Context, name string, opts engine.TagOptions) error {
	return e.c.Do(ctx, http.MethodPost, "/images/tag", wire.Named[engine.TagOptions]{Name: name, Options: opts}, nil)
}
