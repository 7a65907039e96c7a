package docker

import (
	"net/http"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// api holds what every handler needs: the engine, and nothing else.
type api struct {
	eng engine.Engine
}

// Routes returns the Docker Engine API endpoints skiff serves, translated
// onto eng. Patterns carry no version prefix: the server mounts them.
func Routes(eng engine.Engine) []server.Route {
	a := &api{eng: eng}
	return append([]server.Route{
		// System.
		{Method: http.MethodGet, Pattern: "/version", Handler: a.version},
		{Method: http.MethodGet, Pattern: "/info", Handler: a.info},
		{Method: http.MethodGet, Pattern: "/events", Handler: a.events, Stream: true},
		{Method: http.MethodPost, Pattern: "/auth", Handler: a.auth},

		// Containers.
		{Method: http.MethodGet, Pattern: "/containers/json", Handler: a.listContainers},
		{Method: http.MethodPost, Pattern: "/containers/create", Handler: a.createContainer},
		{Method: http.MethodPost, Pattern: "/containers/prune", Handler: a.pruneContainers},
		{Method: http.MethodGet, Pattern: "/containers/{id}/json", Handler: a.inspectContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/start", Handler: a.startContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/stop", Handler: a.stopContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/restart", Handler: a.restartContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/kill", Handler: a.killContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/pause", Handler: a.pauseContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/unpause", Handler: a.unpauseContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/wait", Handler: a.waitContainer, Stream: true},
		{Method: http.MethodPost, Pattern: "/containers/{id}/attach", Handler: a.attachContainer, Stream: true},
		{Method: http.MethodGet, Pattern: "/containers/{id}/logs", Handler: a.containerLogs, Stream: true},
		{Method: http.MethodPost, Pattern: "/containers/{id}/resize", Handler: a.resizeContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/rename", Handler: a.renameContainer},
		{Method: http.MethodPost, Pattern: "/containers/{id}/update", Handler: a.updateContainer},
		{Method: http.MethodGet, Pattern: "/containers/{id}/export", Handler: a.exportContainer, Stream: true},
		{Method: http.MethodGet, Pattern: "/containers/{id}/changes", Handler: a.containerChanges},
		{Method: http.MethodGet, Pattern: "/containers/{id}/stats", Handler: a.containerStats},
		{Method: http.MethodPost, Pattern: "/commit", Handler: a.commit},
		{Method: http.MethodDelete, Pattern: "/containers/{id}", Handler: a.removeContainer},
		// A name with a slash (an image's, say) names no container; Docker's
		// routes take it whole and say so.
		{Method: http.MethodGet, Pattern: "/containers/{rest...}", Handler: a.slashedContainer},
		{Method: http.MethodPost, Pattern: "/containers/{rest...}", Handler: a.slashedContainer},
		{Method: http.MethodDelete, Pattern: "/containers/{rest...}", Handler: a.slashedContainer},

		// Exec.
		{Method: http.MethodPost, Pattern: "/containers/{id}/exec", Handler: a.execCreate},
		{Method: http.MethodPost, Pattern: "/exec/{id}/start", Handler: a.execStart, Stream: true},
		{Method: http.MethodPost, Pattern: "/exec/{id}/resize", Handler: a.execResize},
		{Method: http.MethodGet, Pattern: "/exec/{id}/json", Handler: a.execInspect},

		// Images. Names contain slashes, so the routes take the rest of the
		// path and split off the action themselves.
		// Pulls, pushes, imports, loads and saves are long and carry
		// unlimited bodies: they are Stream routes.
		{Method: http.MethodGet, Pattern: "/images/json", Handler: a.listImages},
		{Method: http.MethodPost, Pattern: "/images/create", Handler: a.createImage, Stream: true},
		{Method: http.MethodGet, Pattern: "/images/get", Handler: a.saveNamed, Stream: true},
		{Method: http.MethodGet, Pattern: "/images/search", Handler: a.searchImages},
		{Method: http.MethodPost, Pattern: "/images/load", Handler: a.loadImages, Stream: true},
		{Method: http.MethodPost, Pattern: "/images/prune", Handler: a.pruneImages},
		{Method: http.MethodGet, Pattern: "/images/{rest...}", Handler: a.imageGet, Stream: true},
		{Method: http.MethodPost, Pattern: "/images/{rest...}", Handler: a.imagePost, Stream: true},
		{Method: http.MethodDelete, Pattern: "/images/{rest...}", Handler: a.removeImage},
	}, append(a.networkRoutes(), a.volumeRoutes()...)...)
}
