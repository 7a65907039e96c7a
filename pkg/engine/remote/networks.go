package remote

import (
	"context"
	"net/http"
	"net/url"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

type networks struct {
	c *client.Client
}

func (e *networks) Create(ctx context.Context, opts engine.NetworkCreateOptions) (*engine.NetworkReport, error) {
	var out engine.NetworkReport
	if err := e.c.Do(ctx, http.MethodPost, "/networks/create", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *networks) List(ctx context.Context, opts engine.NetworkListOptions) ([]engine.NetworkReport, error) {
	var out []engine.NetworkReport
	err := e.c.Do(ctx, http.MethodPost, "/networks/list", opts, &out)
	return out, err
}

// Inspect returns what was found along with the error for what was not,
// as the local engine does.
func (e *networks) Inspect(ctx context.Context, names []string) ([]engine.NetworkReport, error) {
	var out []engine.NetworkReport
	err := e.c.Do(ctx, http.MethodPost, "/networks/inspect", bulk(names, struct{}{}), &out)
	return out, err
}

func (e *networks) Remove(ctx context.Context, names []string, opts engine.NetworkRemoveOptions) ([]engine.ActionReport, error) {
	var out []wire.ActionReport
	err := e.c.Do(ctx, http.MethodPost, "/networks/remove", bulk(names, opts), &out)
	return wire.ToActionReports(out), err
}

func (e *networks) Prune(ctx context.Context, opts engine.NetworkPruneOptions) (*engine.NetworkPruneReport, error) {
	var out engine.NetworkPruneReport
	if err := e.c.Do(ctx, http.MethodPost, "/networks/prune", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *networks) Exists(ctx context.Context, name string) (bool, error) {
	var out wire.Exists
	err := e.c.Do(ctx, http.MethodGet, "/networks/exists?name="+url.QueryEscape(name), nil, &out)
	return out.Exists, err
}

func (e *networks) Connect(ctx context.Context, name string, opts engine.NetworkConnectOptions) error {
	return e.c.Do(ctx, http.MethodPost, "/networks/connect", wire.Named[engine.NetworkConnectOptions]{Name: name, Options: opts}, nil)
}

func (e *networks) Disconnect(ctx context.Context, name string, opts engine.NetworkDisconnectOptions) error {
	return e.c.Do(ctx, http.MethodPost, "/networks/disconnect", wire.Named[engine.NetworkDisconnectOptions]{Name: name, Options: opts}, nil)
}
