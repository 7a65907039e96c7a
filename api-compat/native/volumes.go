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

func (h handlers) volumeRoutes() []server.Route {
	v := h.eng.Volumes()
	return []server.Route{
		post("/volumes/create", call(func(r *http.Request, in engine.VolumeCreateOptions) (*engine.VolumeReport, error) {
			return v.Create(r.Context(), in)
		})),
		post("/volumes/list", call(func(r *http.Request, in engine.VolumeListOptions) ([]engine.VolumeReport, error) {
			return v.List(r.Context(), in)
		})),
		post("/volumes/inspect", call(func(r *http.Request, in wire.Bulk[struct{}]) ([]engine.VolumeReport, error) {
			return v.Inspect(r.Context(), in.Names)
		})),
		post("/volumes/remove", call(func(r *http.Request, in wire.Bulk[engine.VolumeRemoveOptions]) ([]wire.ActionReport, error) {
			reports, err := v.Remove(r.Context(), in.Names, in.Options)
			return wire.FromActionReports(reports), err
		})),
		post("/volumes/prune", call(func(r *http.Request, in engine.VolumePruneOptions) (*engine.VolumePruneReport, error) {
			return v.Prune(r.Context(), in)
		})),
		get("/volumes/exists", call(func(r *http.Request, _ struct{}) (wire.Exists, error) {
			ok, err := v.Exists(r.Context(), r.URL.Query().Get("name"))
			return wire.Exists{Exists: ok}, err
		})),
		postStream("/volumes/export", stream(func(ctx context.Context, r *http.Request, in wire.Named[struct{}], s engine.Streams, _ *wire.Writer) (any, error) {
			return nil, v.Export(ctx, in.Name, s.Stdout)
		})),
		{Method: http.MethodPost, Pattern: "/volumes/import", Handler: h.importVolume, Stream: true},
	}
}

// importVolume takes the archive as the request body, the volume's name
// in the options header (as image load does).
func (h handlers) importVolume(w http.ResponseWriter, r *http.Request) {
	var in wire.Named[struct{}]
	if err := json.Unmarshal([]byte(r.Header.Get(wire.HeaderOptions)), &in); err != nil {
		writeError(w, fmt.Errorf("malformed %s header: %v: %w", wire.HeaderOptions, err, errdefs.ErrInvalidArg), nil)
		return
	}
	if err := h.eng.Volumes().Import(r.Context(), in.Name, r.Body); err != nil {
		writeError(w, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
