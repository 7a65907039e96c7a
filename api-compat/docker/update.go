package docker

import (
	"encoding/json"
	"net/http"
	"reflect"

	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// updateContainer is Docker's POST /containers/{id}/update: new resource
// limits. A restart policy cannot be set (skiff restarts nothing), and
// resource fields skiff does not translate are refused by name, as create
// refuses them.
func (a *api) updateContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req container.UpdateConfig
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		server.WriteError(w, invalid("invalid JSON: %v", err))
		return
	}
	if p := req.RestartPolicy.Name; p != "" && p != container.RestartPolicyDisabled {
		server.WriteError(w, invalid("RestartPolicy %q is not supported yet", p))
		return
	}
	hc := container.HostConfig{Resources: req.Resources}
	if err := unsupportedFields("HostConfig", reflect.ValueOf(hc), supportedHostConfig); err != nil {
		server.WriteError(w, err)
		return
	}
	var opts engine.UpdateOptions
	if err := resourcesFromDocker(req.Resources, &opts.Resources); err != nil {
		server.WriteError(w, err)
		return
	}
	if err := a.eng.Containers().Update(r.Context(), id, opts); err != nil {
		server.WriteError(w, translateError(err, opOther, a.withID(r.Context(), id, err)))
		return
	}
	server.WriteJSON(w, http.StatusOK, container.UpdateResponse{Warnings: []string{}})
}
