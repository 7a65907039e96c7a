package docker

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/dockerinfo"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

func (a *api) version(w http.ResponseWriter, r *http.Request) {
	v, err := a.eng.System().Version(r.Context())
	if err != nil {
		server.WriteError(w, err)
		return
	}
	info, err := a.eng.System().Info(r.Context())
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, dockerinfo.Version(v, info))
}

func (a *api) info(w http.ResponseWriter, r *http.Request) {
	info, err := a.eng.System().Info(r.Context())
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, dockerinfo.Info(info, time.Now()))
}

// events streams events as JSON lines: which recorded ones are replayed
// and how long new ones follow is the engine's rule (Docker's).
func (a *api) events(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	since, err := parseTimestamp("since", q.Get("since"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	until, err := parseTimestamp("until", q.Get("until"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	filters, err := parseFilters(q.Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	opts := engine.EventsOptions{Since: since, Until: until, Filters: filters, Stream: true}
	if err := opts.Validate(); err != nil {
		server.WriteError(w, err)
		return
	}
	out := streamResponse(w, "application/json")
	enc := json.NewEncoder(out)
	err = a.eng.System().Events(r.Context(), opts, func(ev engine.Event) error { return enc.Encode(ev) })
	if err != nil && r.Context().Err() == nil {
		// Headers are gone; Docker ends the stream with the error's text.
		_ = enc.Encode(map[string]string{"message": err.Error()})
	}
}
