package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/docker/docker/api/types/volume"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// volumeRoutes are Docker's /volumes endpoints, on Docker's own types.
func (a *api) volumeRoutes() []server.Route {
	return []server.Route{
		{Method: http.MethodGet, Pattern: "/volumes", Handler: a.listVolumes},
		{Method: http.MethodGet, Pattern: "/volumes/{$}", Handler: a.listVolumes},
		{Method: http.MethodPost, Pattern: "/volumes/create", Handler: a.createVolume},
		{Method: http.MethodPost, Pattern: "/volumes/prune", Handler: a.pruneVolumes},
		{Method: http.MethodGet, Pattern: "/volumes/{name}", Handler: a.inspectVolume},
		{Method: http.MethodDelete, Pattern: "/volumes/{name}", Handler: a.removeVolume},
	}
}

// listVolumes is GET /volumes with Docker's filters (dangling, driver,
// label, name).
func (a *api) listVolumes(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	list, err := a.eng.Volumes().List(r.Context(), engine.VolumeListOptions{Filters: filters})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	out := volume.ListResponse{Volumes: make([]*volume.Volume, 0, len(list)), Warnings: []string{}}
	for i := range list {
		out.Volumes = append(out.Volumes, &list[i])
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// createVolume is POST /volumes/create. As Docker's, creating a volume
// that exists answers that volume.
func (a *api) createVolume(w http.ResponseWriter, r *http.Request) {
	var req volume.CreateOptions
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		server.WriteError(w, invalid("invalid JSON: %v", err))
		return
	}
	if req.ClusterVolumeSpec != nil {
		server.WriteError(w, invalid("cluster volumes are not supported: skiff has no swarm"))
		return
	}
	rep, err := a.eng.Volumes().Create(r.Context(), engine.VolumeCreateOptions{
		Name: req.Name, Driver: req.Driver, Labels: req.Labels, Options: req.DriverOpts, IgnoreIfExists: true,
	})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusCreated, rep)
}

func (a *api) inspectVolume(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	got, err := a.eng.Volumes().Inspect(r.Context(), []string{name})
	if err != nil {
		server.WriteError(w, volumeError(err, "get", name))
		return
	}
	server.WriteJSON(w, http.StatusOK, got[0])
}

// removeVolume is DELETE /volumes/{name}. A volume in use is refused
// (409) even with force, as Docker's; force makes a missing one no error.
func (a *api) removeVolume(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	reports, err := a.eng.Volumes().Remove(r.Context(), []string{name}, engine.VolumeRemoveOptions{})
	if err == nil && len(reports) == 1 {
		err = reports[0].Err
	}
	if err != nil && !(boolParam(r, "force") && errors.Is(err, errdefs.ErrNoSuchVolume)) {
		server.WriteError(w, volumeError(err, "remove", name))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// pruneVolumes is POST /volumes/prune: anonymous volumes only, unless the
// all filter says otherwise (API 1.42 and later, as Docker's).
func (a *api) pruneVolumes(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	all, rest, err := pruneAll(filters)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	rep, err := a.eng.Volumes().Prune(r.Context(), engine.VolumePruneOptions{Filters: rest, All: all})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, rep)
}

// volumeError words an error as Docker's volume endpoints do ("get NAME:
// no such volume", "remove NAME: volume is in use - [ID]").
func volumeError(err error, verb, name string) error {
	switch {
	case errors.Is(err, errdefs.ErrNoSuchVolume):
		return dockerWords(fmt.Sprintf("%s %s: no such volume", verb, name), err)
	case errors.Is(err, errdefs.ErrVolumeInUse):
		return dockerWords(fmt.Sprintf("%s %s: volume is in use - %s", verb, name, err), err)
	}
	return err
}

// pruneAll takes Docker's all filter (prune named volumes too) out of
// filters.
func pruneAll(filters map[string][]string) (bool, map[string][]string, error) {
	all := false
	for _, v := range filters["all"] {
		switch v {
		case "1", "true":
			all = true
		case "0", "false":
		default:
			return false, nil, invalid("invalid filter 'all=%s'", v)
		}
	}
	delete(filters, "all")
	return all, filters, nil
}
