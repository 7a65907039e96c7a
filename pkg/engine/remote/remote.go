package remote

import (
	"context"
	"net/http"
	"net/url"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// Engine is the remote engine.Engine.
type Engine struct {
	c *client.Client
}

var _ engine.Engine = (*Engine)(nil)

// New returns an engine that calls the service c talks to.
func New(c *client.Client) *Engine { return &Engine{c: c} }

// Client is the underlying client.
func (e *Engine) Client() *client.Client { return e.c }

func (e *Engine) Containers() engine.ContainerEngine { return &containers{c: e.c} }
func (e *Engine) Images() engine.ImageEngine         { return &images{c: e.c} }
func (e *Engine) System() engine.SystemEngine        { return &system{c: e.c} }
func (e *Engine) Networks() engine.NetworkEngine     { return &networks{c: e.c} }
func (e *Engine) Volumes() engine.VolumeEngine       { return &volumes{c: e.c} }

// Shutdown closes pooled connections; the service keeps running.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.c.Close()
	return nil
}

// path builds a route path with one escaped name.
func path(prefix, name, suffix string) string {
	return prefix + url.PathEscape(name) + suffix
}

type system struct {
	c *client.Client
}

func (s *system) Info(ctx context.Context) (*engine.Info, error) {
	var out engine.Info
	if err := s.c.Do(ctx, http.MethodGet, "/info", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *system) Version(ctx context.Context) (*engine.Version, error) {
	var out engine.Version
	if err := s.c.Do(ctx, http.MethodGet, "/version", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *system) Events(ctx context.Context, opts engine.EventsOptions, out func(engine.Event) error) error {
	return s.c.Stream(ctx, "/events", opts, client.StreamOptions{
		OnEvent: func(payload []byte) error {
			var ev engine.Event
			if err := jsonUnmarshal(payload, &ev); err != nil {
				return err
			}
			return out(ev)
		},
	}, nil)
}

// bulk is the body of a names-and-options route.
func bulk[T any](names []string, opts T) wire.Bulk[T] {
	return wire.Bulk[T]{Names: names, Options: opts}
}
