package docker

import (
	"errors"
	"net/http"
	"strings"

	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func (a *api) listContainers(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	limit, _, err := intParam(r, "limit")
	if err != nil {
		server.WriteError(w, err)
		return
	}
	if limit < 0 {
		limit = 0
	}
	all := boolParam(r, "all")
	list, err := a.eng.Containers().List(r.Context(), engine.ListOptions{
		All: all, Last: limit, Size: boolParam(r, "size"), Filters: filters,
	})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	out := make([]container.Summary, 0, len(list))
	for _, c := range list {
		out = append(out, summaryFrom(c))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (a *api) createContainer(w http.ResponseWriter, r *http.Request) {
	var req container.CreateRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		server.WriteError(w, err)
		return
	}
	name := r.URL.Query().Get("name")
	spec, err := specFromCreate(server.APIVersion(r), name, req)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	rep, err := a.eng.Containers().Create(r.Context(), engine.CreateOptions{Spec: spec})
	if err != nil {
		server.WriteError(w, a.createError(r, spec.Name, spec.Image, err))
		return
	}
	warnings := rep.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	server.WriteJSON(w, http.StatusCreated, container.CreateResponse{ID: rep.ID, Warnings: warnings})
}

// createError words create's failures as Docker does: the image as a
// familiar reference (the CLI pulls on this 404), the holder of a name.
func (a *api) createError(r *http.Request, name, image string, err error) error {
	switch {
	case errors.Is(err, errdefs.ErrNoSuchImage):
		return translateError(err, opOther, subject{ref: familiarRef(image)})
	case errors.Is(err, errdefs.ErrNameInUse):
		holder := ""
		if got, ierr := a.eng.Containers().Inspect(r.Context(), []string{name}, engine.InspectOptions{}); ierr == nil && len(got) == 1 {
			holder = got[0].ID
		}
		return nameInUse(name, holder, err)
	}
	return err
}

func (a *api) inspectContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	got, err := a.eng.Containers().Inspect(r.Context(), []string{id}, engine.InspectOptions{Size: boolParam(r, "size")})
	if err == nil && len(got) != 1 {
		err = errdefs.ErrNoSuchContainer
	}
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: id}))
		return
	}
	server.WriteJSON(w, http.StatusOK, inspectFrom(got[0]))
}

func (a *api) startContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := firstErr(a.eng.Containers().Start(r.Context(), []string{id}, engine.StartOptions{}))
	a.writeAction(w, r, id, opOther, err)
}

func (a *api) stopContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	t, err := stopTimeout(r)
	if err == nil {
		err = noStopSignal(r)
	}
	if err != nil {
		server.WriteError(w, err)
		return
	}
	err = firstErr(a.eng.Containers().Stop(r.Context(), []string{id}, engine.StopOptions{Timeout: t}))
	a.writeAction(w, r, id, opOther, err)
}

func (a *api) restartContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	t, err := stopTimeout(r)
	if err == nil {
		err = noStopSignal(r)
	}
	if err != nil {
		server.WriteError(w, err)
		return
	}
	err = firstErr(a.eng.Containers().Restart(r.Context(), []string{id}, engine.RestartOptions{Timeout: t}))
	a.writeAction(w, r, id, opOther, err)
}

// noStopSignal refuses stop's and restart's signal parameter (API 1.42),
// which the engine cannot take yet; the container's StopSignal applies.
func noStopSignal(r *http.Request) error {
	if s := r.URL.Query().Get("signal"); s != "" {
		return invalid("the \"signal\" parameter of stop and restart is not supported yet: set the container's StopSignal at create")
	}
	return nil
}

func (a *api) killContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := firstErr(a.eng.Containers().Kill(r.Context(), []string{id}, engine.KillOptions{Signal: r.URL.Query().Get("signal")}))
	a.writeAction(w, r, id, opKill, err)
}

// pauseContainer is POST /containers/{id}/pause: 204, or 404, 409 (not
// running, already paused) and 501 where the host cannot freeze containers.
func (a *api) pauseContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := firstErr(a.eng.Containers().Pause(r.Context(), []string{id}, engine.PauseOptions{}))
	a.writeAction(w, r, id, opOther, err)
}

// unpauseContainer is POST /containers/{id}/unpause: 204, or 404 and 409
// (not paused; Docker itself answers that one with a 500).
func (a *api) unpauseContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := firstErr(a.eng.Containers().Unpause(r.Context(), []string{id}, engine.UnpauseOptions{}))
	a.writeAction(w, r, id, opOther, err)
}

func (a *api) removeContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if boolParam(r, "link") {
		server.WriteError(w, invalid("the \"link\" parameter is not supported: skiff has no links"))
		return
	}
	err := firstErr(a.eng.Containers().Remove(r.Context(), []string{id}, engine.RemoveOptions{
		Force: boolParam(r, "force"), Volumes: boolParam(r, "v"),
	}))
	a.writeAction(w, r, id, opRemove, err)
}

func (a *api) renameContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	newName := r.URL.Query().Get("name")
	if newName == "" {
		server.WriteError(w, invalid("the \"name\" parameter is required"))
		return
	}
	err := a.eng.Containers().Rename(r.Context(), id, engine.RenameOptions{NewName: newName})
	if errors.Is(err, errdefs.ErrNameInUse) {
		server.WriteError(w, a.createError(r, newName, "", err))
		return
	}
	a.writeAction(w, r, id, opOther, err)
}

func (a *api) resizeContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	size, err := terminalSize(r)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	err = a.eng.Containers().Resize(r.Context(), id, size)
	if err != nil {
		server.WriteError(w, translateError(err, opOther, a.withID(r.Context(), id, err)))
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *api) pruneContainers(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	rep, err := a.eng.Containers().Prune(r.Context(), engine.PruneOptions{Filters: filters})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, container.PruneReport{ContainersDeleted: rep.Deleted, SpaceReclaimed: rep.SpaceReclaimed})
}

// writeAction answers a bodiless action: 204 on success, Docker's error
// (304 without a body for no-ops) otherwise.
func (a *api) writeAction(w http.ResponseWriter, r *http.Request, ref string, o op, err error) {
	if err != nil {
		server.WriteError(w, translateError(err, o, a.withID(r.Context(), ref, err)))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// slashedContainer answers a container path the {id} routes did not take:
// a name holding a slash (no container has one) is Docker's 404 for that
// name, anything else an unknown route.
func (a *api) slashedContainer(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("rest")
	if r.Method != http.MethodDelete {
		if i := strings.LastIndex(name, "/"); i > 0 {
			name = name[:i]
		}
	}
	if !strings.Contains(name, "/") {
		pageNotFound(w)
		return
	}
	server.WriteError(w, translateError(errdefs.ErrNoSuchContainer, opOther, subject{ref: name}))
}

// terminalSize reads resize's h and w.
func terminalSize(r *http.Request) (engine.TerminalSize, error) {
	h, _, err := intParam(r, "h")
	if err != nil {
		return engine.TerminalSize{}, err
	}
	wd, _, err := intParam(r, "w")
	if err != nil {
		return engine.TerminalSize{}, err
	}
	if h < 0 || wd < 0 || h > 0xffff || wd > 0xffff {
		return engine.TerminalSize{}, invalid("invalid terminal size %dx%d", h, wd)
	}
	return engine.TerminalSize{Height: uint16(h), Width: uint16(wd)}, nil
}

// containerStats is GET /containers/{id}/stats, which skiff cannot answer
// yet. It says so with a 501 rather than a 404 "page not found" (or data
// a client would render as a row of "--"): `docker stats NAME` then fails
// with this message. A missing container is still a 404.
func (a *api) containerStats(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := a.eng.Containers().Inspect(r.Context(), []string{id}, engine.InspectOptions{}); err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: id}))
		return
	}
	server.WriteError(w, notImplemented("container stats are not supported by skiff yet"))
}
