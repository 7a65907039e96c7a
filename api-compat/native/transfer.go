package native

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// transferRoutes are the image routes that move images: pull and push
// stream their progress as stdout frames, save streams the archive itself
// as stdout frames, load takes the archive as the request body.
func (h handlers) transferRoutes() []server.Route {
	i := h.imgs
	return []server.Route{
		postStream("/images/pull", stream(func(ctx context.Context, r *http.Request, in engine.PullOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			return i.Pull(ctx, in, s.Stdout)
		})),
		postStream("/images/push", stream(func(ctx context.Context, r *http.Request, in engine.PushOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			return i.Push(ctx, in, s.Stdout)
		})),
		postStream("/images/save", stream(func(ctx context.Context, r *http.Request, in engine.SaveOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			if in.Output != "" {
				return nil, fmt.Errorf("save over the API streams the archive; an output path is not accepted: %w", errdefs.ErrInvalidArg)
			}
			return nil, i.Save(ctx, in, s.Stdout)
		})),
		{Method: http.MethodPost, Pattern: "/images/load", Handler: h.loadImage, Stream: true},
		post("/images/untag", call(func(r *http.Request, in wire.Named[engine.UntagOptions]) (noContent, error) {
			return noContent{}, i.Untag(r.Context(), in.Name, in.Options)
		})),
		post("/images/commit", call(func(r *http.Request, in wire.Named[engine.CommitOptions]) (*engine.CommitReport, error) {
			return i.Commit(r.Context(), in.Name, in.Options)
		})),
		postStream("/containers/export", stream(func(ctx context.Context, r *http.Request, in wire.Named[struct{}], s engine.Streams, _ *wire.Writer) (any, error) {
			return nil, i.Export(ctx, in.Name, s.Stdout)
		})),
		post("/images/prune", call(func(r *http.Request, in engine.ImagePruneOptions) (*engine.ImagePruneReport, error) {
			return i.Prune(r.Context(), in)
		})),
		post("/images/search", call(func(r *http.Request, in engine.SearchOptions) ([]engine.SearchResult, error) {
			return i.Search(r.Context(), in)
		})),
		post("/manifests/create", call(func(r *http.Request, in wire.Named[engine.ManifestAddOptions]) (string, error) {
			return i.ManifestCreate(r.Context(), in.Name, in.Options)
		})),
		post("/manifests/add", call(func(r *http.Request, in wire.Named[engine.ManifestAddOptions]) (string, error) {
			return i.ManifestAdd(r.Context(), in.Name, in.Options)
		})),
		get("/manifests/inspect", call(func(r *http.Request, _ struct{}) (json.RawMessage, error) {
			return i.ManifestInspect(r.Context(), r.URL.Query().Get("name"))
		})),
		postStream("/manifests/push", stream(func(ctx context.Context, r *http.Request, in engine.PushOptions, s engine.Streams, _ *wire.Writer) (any, error) {
			return i.ManifestPush(ctx, in.Source, in, s.Stdout)
		})),
		post("/manifests/remove", call(func(r *http.Request, in wire.Bulk[struct{}]) ([]engine.ImageRemoveReport, error) {
			return i.ManifestRemove(r.Context(), in.Names)
		})),
		get("/images/diff", call(func(r *http.Request, _ struct{}) ([]engine.Change, error) {
			return i.Diff(r.Context(), r.URL.Query().Get("name"))
		})),
		post("/registries/login", call(func(r *http.Request, in engine.LoginOptions) (noContent, error) {
			return noContent{}, i.Login(r.Context(), in)
		})),
		get("/images/history", call(func(r *http.Request, _ struct{}) ([]engine.ImageHistory, error) {
			return i.History(r.Context(), r.URL.Query().Get("name"))
		})),
	}
}

// loadImage loads the archive in the request body; the engine spools it.
func (h handlers) loadImage(w http.ResponseWriter, r *http.Request) {
	var opts engine.LoadOptions
	if hdr := r.Header.Get(wire.HeaderOptions); hdr != "" {
		if err := json.Unmarshal([]byte(hdr), &opts); err != nil {
			writeError(w, fmt.Errorf("malformed %s header: %v: %w", wire.HeaderOptions, err, errdefs.ErrInvalidArg), nil)
			return
		}
	}
	// A path on the service's host is not the caller's to name.
	opts.Input = ""
	rep, err := h.imgs.Load(r.Context(), opts, r.Body, nil)
	if err != nil {
		writeError(w, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
