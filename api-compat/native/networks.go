package native

import (
	"net/http"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

func (h handlers) networkRoutes() []server.Route {
	n := h.eng.Networks()
	return []server.Route{
		post("/networks/create", call(func(r *http.Request, in engine.NetworkCreateOptions) (*engine.NetworkReport, error) {
			return n.Create(r.Context(), in)
		})),
		post("/networks/list", call(func(r *http.Request, in engine.NetworkListOptions) ([]engine.NetworkReport, error) {
			return n.List(r.Context(), in)
		})),
		post("/networks/inspect", call(func(r *http.Request, in wire.Bulk[struct{}]) ([]engine.NetworkReport, error) {
			return n.Inspect(r.Context(), in.Names)
		})),
		post("/networks/remove", call(func(r *http.Request, in wire.Bulk[engine.NetworkRemoveOptions]) ([]wire.ActionReport, error) {
			reports, err := n.Remove(r.Context(), in.Names, in.Options)
			return wire.FromActionReports(reports), err
		})),
		post("/networks/prune", call(func(r *http.Request, in engine.NetworkPruneOptions) (*engine.NetworkPruneReport, error) {
			return n.Prune(r.Context(), in)
		})),
		get("/networks/exists", call(func(r *http.Request, _ struct{}) (wire.Exists, error) {
			ok, err := n.Exists(r.Context(), r.URL.Query().Get("name"))
			return wire.Exists{Exists: ok}, err
		})),
		post("/networks/connect", call(func(r *http.Request, in wire.Named[engine.NetworkConnectOptions]) (noContent, error) {
			return noContent{}, n.Connect(r.Context(), in.Name, in.Options)
		})),
		post("/networks/disconnect", call(func(r *http.Request, in wire.Named[engine.NetworkDisconnectOptions]) (noContent, error) {
			return noContent{}, n.Disconnect(r.Context(), in.Name, in.Options)
		})),
	}
}
