package native

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func (h handlers) imageRoutes() []server.Route {
	i := h.imgs
	return []server.Route{
		// Import is a stream route only so that a long upload is never
		// cut by the server's limits on ordinary requests.
		{Method: http.MethodPost, Pattern: "/images/import", Handler: h.importImage, Stream: true},
		post("/images/list", call(func(r *http.Request, in engine.ImageListOptions) (*engine.ImageListReport, error) {
			return i.List(r.Context(), in)
		})),
		post("/images/remove", call(func(r *http.Request, in wire.Bulk[engine.ImageRemoveOptions]) ([]engine.ImageRemoveReport, error) {
			return i.Remove(r.Context(), in.Names, in.Options)
		})),
		get("/images/exists", call(func(r *http.Request, _ struct{}) (wire.Exists, error) {
			ok, err := i.Exists(r.Context(), r.URL.Query().Get("name"))
			return wire.Exists{Exists: ok}, err
		})),
		post("/images/inspect", call(func(r *http.Request, in wire.Bulk[struct{}]) ([]engine.InspectImage, error) {
			return i.Inspect(r.Context(), in.Names)
		})),
		post("/images/tag", call(func(r *http.Request, in wire.Named[engine.TagOptions]) (noContent, error) {
			return noContent{}, i.Tag(r.Context(), in.Name, in.Options)
		})),
	}
}

// importImage imports the tarball in the request body. The engine reads
// its source more than once, by path, so the upload is spooled to a file on
// the service's host first; the client's Source path means nothing here.
func (h handlers) importImage(w http.ResponseWriter, r *http.Request) {
	var opts engine.ImportOptions
	if hdr := r.Header.Get(wire.HeaderOptions); hdr != "" {
		if err := json.Unmarshal([]byte(hdr), &opts); err != nil {
			writeError(w, fmt.Errorf("malformed %s header: %v: %w", wire.HeaderOptions, err, errdefs.ErrInvalidArg), nil)
			return
		}
	}
	f, err := os.CreateTemp("", "skiff-import-*.tar")
	if err != nil {
		writeError(w, fmt.Errorf("spooling the upload: %w", err), nil)
		return
	}
	defer os.Remove(f.Name())
	_, err = io.Copy(f, r.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		writeError(w, fmt.Errorf("receiving the tarball: %w", err), nil)
		return
	}
	opts.Source = f.Name()
	rep, err := h.imgs.Import(r.Context(), opts)
	if err != nil {
		writeError(w, err, nil)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
