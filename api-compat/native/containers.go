package native

import (
	"context"
	"net/http"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// bulkAction is the shape of the engine's bulk container methods.
type bulkAction[T any] func(ctx context.Context, names []string, opts T) ([]engine.ActionReport, error)

// bulk serves a bulk action: reports go out with their errors in wire form.
func bulk[T any](fn bulkAction[T]) http.HandlerFunc {
	return call(func(r *http.Request, in wire.Bulk[T]) ([]wire.ActionReport, error) {
		reports, err := fn(r.Context(), in.Names, in.Options)
		return wire.FromActionReports(reports), err
	})
}

func (h handlers) containerRoutes() []server.Route {
	c := h.ctrs
	return []server.Route{
		post("/containers/create", call(func(r *http.Request, in engine.CreateOptions) (*engine.CreateReport, error) {
			return c.Create(r.Context(), in)
		})),
		postStream("/containers/run", dual(func(ctx context.Context, _ *http.Request, in engine.RunOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			in.Streams = s
			return c.Run(ctx, in)
		})),
		postStream("/containers/start", dual(func(ctx context.Context, _ *http.Request, in wire.Bulk[engine.StartOptions], s engine.Streams, _ *wire.Writer) (any, error) {
			in.Options.Streams = s
			reports, err := c.Start(ctx, in.Names, in.Options)
			return wire.FromActionReports(reports), err
		})),
		post("/containers/stop", bulk(c.Stop)),
		post("/containers/kill", bulk(c.Kill)),
		post("/containers/pause", bulk(c.Pause)),
		post("/containers/unpause", bulk(c.Unpause)),
		post("/containers/restart", bulk(c.Restart)),
		post("/containers/remove", bulk(c.Remove)),
		post("/containers/list", call(func(r *http.Request, in engine.ListOptions) ([]engine.ListContainer, error) {
			return c.List(r.Context(), in)
		})),
		post("/containers/inspect", call(func(r *http.Request, in wire.Bulk[engine.InspectOptions]) ([]engine.InspectContainer, error) {
			return c.Inspect(r.Context(), in.Names, in.Options)
		})),
		postStream("/containers/wait", stream(func(ctx context.Context, _ *http.Request, in wire.Bulk[engine.WaitOptions], _ engine.Streams, _ *wire.Writer) (any, error) {
			reports, err := c.Wait(ctx, in.Names, in.Options)
			return wire.FromWaitReports(reports), err
		})),
		post("/containers/prune", call(func(r *http.Request, in engine.PruneOptions) (*engine.PruneReport, error) {
			return c.Prune(r.Context(), in)
		})),
		get("/containers/{name}/exists", call(func(r *http.Request, _ struct{}) (wire.Exists, error) {
			ok, err := c.Exists(r.Context(), r.PathValue("name"))
			return wire.Exists{Exists: ok}, err
		})),
		postStream("/containers/{name}/logs", stream(func(ctx context.Context, r *http.Request, in engine.LogsOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			in.Streams = s
			return nil, c.Logs(ctx, r.PathValue("name"), in)
		})),
		postStream("/containers/{name}/attach", session(func(ctx context.Context, r *http.Request, in engine.AttachOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			in.Streams = s
			return nil, c.Attach(ctx, r.PathValue("name"), in)
		})),
		postStream("/containers/{name}/exec", dual(func(ctx context.Context, r *http.Request, in engine.ExecOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			in.Streams = s
			return c.Exec(ctx, r.PathValue("name"), in)
		})),
		post("/containers/{name}/exec/create", call(func(r *http.Request, in engine.ExecOptions) (wire.ExecID, error) {
			id, err := c.ExecCreate(r.Context(), r.PathValue("name"), in)
			return wire.ExecID{ID: id}, err
		})),
		post("/containers/{name}/rename", call(func(r *http.Request, in engine.RenameOptions) (noContent, error) {
			return noContent{}, c.Rename(r.Context(), r.PathValue("name"), in)
		})),
		post("/containers/{name}/update", call(func(r *http.Request, in engine.UpdateOptions) (noContent, error) {
			return noContent{}, c.Update(r.Context(), r.PathValue("name"), in)
		})),
		post("/containers/{name}/resize", call(func(r *http.Request, in engine.TerminalSize) (noContent, error) {
			return noContent{}, c.Resize(r.Context(), r.PathValue("name"), in)
		})),
		post("/containers/{name}/cleanup", call(func(r *http.Request, in engine.CleanupOptions) (noContent, error) {
			return noContent{}, c.Cleanup(r.Context(), r.PathValue("name"), in)
		})),
	}
}

func (h handlers) execRoutes() []server.Route {
	c := h.ctrs
	return []server.Route{
		postStream("/exec/{id}/start", dual(func(ctx context.Context, r *http.Request, in engine.ExecStartOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			in.Streams = s
			return c.ExecStart(ctx, r.PathValue("id"), in)
		})),
		post("/exec/{id}/resize", call(func(r *http.Request, in engine.TerminalSize) (noContent, error) {
			return noContent{}, c.ExecResize(r.Context(), r.PathValue("id"), in)
		})),
		get("/exec/{id}/json", call(func(r *http.Request, _ struct{}) (*engine.ExecInspect, error) {
			return c.ExecInspect(r.Context(), r.PathValue("id"))
		})),
	}
}
