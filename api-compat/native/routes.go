package native

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/version"
)

// Routes returns skiff's native API over eng, with full patterns under
// wire.Prefix ("/skiff/v1").
func Routes(eng engine.Engine) []server.Route {
	h := handlers{eng: eng, ctrs: eng.Containers(), imgs: eng.Images(), sys: eng.System()}
	var out []server.Route
	for _, group := range [][]server.Route{h.systemRoutes(), h.containerRoutes(), h.execRoutes(), h.imageRoutes(), h.transferRoutes(), h.networkRoutes(), h.volumeRoutes()} {
		for _, rt := range group {
			rt.Pattern = wire.Prefix + rt.Pattern
			out = append(out, rt)
		}
	}
	return out
}

// handlers holds the engine the routes call.
type handlers struct {
	eng  engine.Engine
	ctrs engine.ContainerEngine
	imgs engine.ImageEngine
	sys  engine.SystemEngine
}

func get(pattern string, h http.HandlerFunc) server.Route {
	return server.Route{Method: http.MethodGet, Pattern: pattern, Handler: h}
}

func post(pattern string, h http.HandlerFunc) server.Route {
	return server.Route{Method: http.MethodPost, Pattern: pattern, Handler: h}
}

func postStream(pattern string, h http.HandlerFunc) server.Route {
	return server.Route{Method: http.MethodPost, Pattern: pattern, Handler: h, Stream: true}
}

func (h handlers) systemRoutes() []server.Route {
	return []server.Route{
		get("/ping", call(func(r *http.Request, _ struct{}) (wire.Ping, error) {
			return wire.Ping{API: "skiff/v1", Version: version.Number}, nil
		})),
		get("/info", call(func(r *http.Request, _ struct{}) (*engine.Info, error) {
			return h.sys.Info(r.Context())
		})),
		get("/version", call(func(r *http.Request, _ struct{}) (*engine.Version, error) {
			return h.sys.Version(r.Context())
		})),
		postStream("/events", stream(func(ctx context.Context, r *http.Request, in engine.EventsOptions, _ engine.Streams, fw *wire.Writer) (any, error) {
			return nil, h.sys.Events(ctx, in, func(ev engine.Event) error {
				data, err := json.Marshal(ev)
				if err != nil {
					return err
				}
				return fw.Frame(wire.FrameEvent, data)
			})
		})),
	}
}
