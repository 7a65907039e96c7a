package docker

import (
	"net/http"

	"github.com/docker/docker/api/types/volume"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// skiff has no named volumes: a container's mounts are binds from the
// host, and a create naming a volume is refused. The /volumes endpoints
// say exactly that in Docker's shapes, because clients ask whether there
// are any before they decide what to do (docker compose v2 lists a
// project's volumes on every `down`): the list is empty, a volume by name
// is not found, and creating or pruning one is not implemented.

// volumeRoutes are Docker's /volumes endpoints.
func (a *api) volumeRoutes() []server.Route {
	return []server.Route{
		{Method: http.MethodGet, Pattern: "/volumes", Handler: a.listVolumes},
		{Method: http.MethodPost, Pattern: "/volumes/create", Handler: volumesUnsupported},
		{Method: http.MethodPost, Pattern: "/volumes/prune", Handler: volumesUnsupported},
		{Method: http.MethodGet, Pattern: "/volumes/{name}", Handler: noSuchVolume},
		{Method: http.MethodDelete, Pattern: "/volumes/{name}", Handler: noSuchVolume},
	}
}

// listVolumes is GET /volumes: no volumes, whatever the (valid) filters.
func (a *api) listVolumes(w http.ResponseWriter, r *http.Request) {
	if _, err := parseFilters(r.URL.Query().Get("filters")); err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, volume.ListResponse{Volumes: []*volume.Volume{}, Warnings: []string{}})
}

// noSuchVolume is Docker's 404 for a volume name ("get NAME: no such
// volume", "remove NAME: ...").
func noSuchVolume(w http.ResponseWriter, r *http.Request) {
	verb := "get"
	if r.Method == http.MethodDelete {
		verb = "remove"
	}
	server.WriteError(w, errdefs.WithClass(errdefs.ClassNotFound, verb+" "+r.PathValue("name")+": no such volume"))
}

func volumesUnsupported(w http.ResponseWriter, _ *http.Request) {
	server.WriteError(w, notImplemented("named volumes are not supported by skiff yet: bind-mount a host directory instead"))
}
