package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/network"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// networkRoutes are Docker's /networks endpoints.
func (a *api) networkRoutes() []server.Route {
	return []server.Route{
		{Method: http.MethodGet, Pattern: "/networks", Handler: a.listNetworks},
		{Method: http.MethodGet, Pattern: "/networks/{$}", Handler: a.listNetworks},
		{Method: http.MethodPost, Pattern: "/networks/create", Handler: a.createNetwork},
		{Method: http.MethodPost, Pattern: "/networks/prune", Handler: a.pruneNetworks},
		{Method: http.MethodGet, Pattern: "/networks/{id}", Handler: a.inspectNetwork},
		{Method: http.MethodDelete, Pattern: "/networks/{id}", Handler: a.removeNetwork},
		{Method: http.MethodPost, Pattern: "/networks/{id}/connect", Handler: a.connectNetwork},
		{Method: http.MethodPost, Pattern: "/networks/{id}/disconnect", Handler: a.disconnectNetwork},
	}
}

func (a *api) listNetworks(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	list, err := a.eng.Networks().List(r.Context(), engine.NetworkListOptions{Filters: filters})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	if list == nil {
		list = []engine.NetworkReport{}
	}
	server.WriteJSON(w, http.StatusOK, list)
}

func (a *api) inspectNetwork(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("id")
	got, err := a.eng.Networks().Inspect(r.Context(), []string{ref})
	if err != nil {
		server.WriteError(w, networkError(err, ref))
		return
	}
	server.WriteJSON(w, http.StatusOK, got[0])
}

func (a *api) createNetwork(w http.ResponseWriter, r *http.Request) {
	var req network.CreateRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		server.WriteError(w, invalid("invalid JSON: %v", err))
		return
	}
	opts, warnings, err := networkCreateOptions(req)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	rep, err := a.eng.Networks().Create(r.Context(), opts)
	if err != nil {
		server.WriteError(w, networkError(err, req.Name))
		return
	}
	server.WriteJSON(w, http.StatusCreated, network.CreateResponse{ID: rep.ID, Warning: strings.Join(warnings, "\n")})
}

// dockerBridgeOptions are the options of Docker's bridge driver that
// netavark takes under its own names; the others have no equivalent and
// are dropped with a warning.
var dockerBridgeOptions = map[string]string{
	"com.docker.network.driver.mtu":  "mtu",
	"com.docker.network.bridge.name": "com.docker.network.bridge.name", // the engine's
}

// networkCreateOptions translates Docker's create request. IPv4 cannot be
// turned off; CheckDuplicate=false (API < 1.44) cannot make a second
// network of the same name, so it returns the existing one.
func networkCreateOptions(req network.CreateRequest) (engine.NetworkCreateOptions, []string, error) {
	opts := engine.NetworkCreateOptions{
		Name: req.Name, Driver: req.Driver, Internal: req.Internal, Labels: req.Labels,
		IgnoreIfExists: req.CheckDuplicate != nil && !*req.CheckDuplicate,
	}
	if req.Name == "" {
		return opts, nil, invalid("network name is required")
	}
	if req.EnableIPv6 != nil {
		opts.IPv6 = *req.EnableIPv6
	}
	if req.EnableIPv4 != nil && !*req.EnableIPv4 {
		return opts, nil, invalid("IPv4 cannot be disabled on skiff networks")
	}
	if req.Ingress || req.ConfigOnly || (req.ConfigFrom != nil && req.ConfigFrom.Network != "") {
		return opts, nil, invalid("swarm ingress and config-only networks are not supported: skiff has no swarm")
	}
	if req.Scope != "" && req.Scope != "local" {
		return opts, nil, invalid("scope %q is not supported: only local networks exist", req.Scope)
	}
	if req.IPAM != nil {
		if req.IPAM.Driver != "" && req.IPAM.Driver != "default" {
			return opts, nil, invalid("IPAM driver %q is not supported: only default is", req.IPAM.Driver)
		}
		for _, c := range req.IPAM.Config {
			if c.Subnet == "" && (c.Gateway != "" || c.IPRange != "") {
				return opts, nil, invalid("an IPAM config with a gateway or an IP range needs a subnet")
			}
			if c.Subnet == "" {
				continue
			}
			opts.Subnets = append(opts.Subnets, c.Subnet)
			opts.Gateways = append(opts.Gateways, c.Gateway)
			opts.IPRanges = append(opts.IPRanges, c.IPRange)
		}
	}
	var warnings []string
	keys := make([]string, 0, len(req.Options))
	for k := range req.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := req.Options[k]
		switch own, ok := dockerBridgeOptions[k]; {
		case ok:
			setOption(&opts, own, v)
		case strings.HasPrefix(k, "com.docker.network."):
			warnings = append(warnings, fmt.Sprintf("option %s is not supported by skiff and was ignored", k))
		default:
			setOption(&opts, k, v)
		}
	}
	return opts, warnings, nil
}

func setOption(opts *engine.NetworkCreateOptions, k, v string) {
	if opts.Options == nil {
		opts.Options = map[string]string{}
	}
	opts.Options[k] = v
}

func (a *api) removeNetwork(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("id")
	reports, err := a.eng.Networks().Remove(r.Context(), []string{ref}, engine.NetworkRemoveOptions{})
	if err == nil && len(reports) > 0 {
		err = reports[0].Err
	}
	if err != nil {
		server.WriteError(w, networkError(err, ref))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *api) pruneNetworks(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	rep, err := a.eng.Networks().Prune(r.Context(), engine.NetworkPruneOptions{Filters: filters})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, network.PruneReport{NetworksDeleted: rep.Deleted})
}

func (a *api) connectNetwork(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("id")
	var req network.ConnectOptions
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		server.WriteError(w, invalid("invalid JSON: %v", err))
		return
	}
	opts := engine.NetworkConnectOptions{Container: req.Container}
	if ep := req.EndpointConfig; ep != nil {
		opts.Aliases = ep.Aliases
		opts.MAC = ep.MacAddress
		if ep.IPAMConfig != nil {
			opts.IPv4, opts.IPv6 = ep.IPAMConfig.IPv4Address, ep.IPAMConfig.IPv6Address
		}
	}
	err := a.eng.Networks().Connect(r.Context(), ref, opts)
	if err != nil {
		server.WriteError(w, connectError(err, ref, req.Container))
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *api) disconnectNetwork(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("id")
	var req network.DisconnectOptions
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		server.WriteError(w, invalid("invalid JSON: %v", err))
		return
	}
	err := a.eng.Networks().Disconnect(r.Context(), ref, engine.NetworkDisconnectOptions{Container: req.Container, Force: req.Force})
	if err != nil {
		server.WriteError(w, connectError(err, ref, req.Container))
		return
	}
	w.WriteHeader(http.StatusOK)
}

// networkError is Docker's message for a network request's error class.
func networkError(err error, ref string) error {
	switch {
	case errors.Is(err, errdefs.ErrNoSuchNetwork):
		return dockerWords(fmt.Sprintf("network %s not found", ref), err)
	case errors.Is(err, errdefs.ErrNetworkInUse):
		return dockerWords(fmt.Sprintf("error while removing network: %s", err), err)
	case errors.Is(err, errdefs.ErrBuiltinNetwork):
		return dockerWords(fmt.Sprintf("%s is a pre-defined network and cannot be removed", ref), err)
	case errors.Is(err, errdefs.ErrNetworkExists):
		return dockerWords(fmt.Sprintf("network with name %s already exists", ref), err)
	}
	return err
}

// connectError is Docker's message for a connect or disconnect error.
func connectError(err error, ref, ctr string) error {
	switch {
	case errors.Is(err, errdefs.ErrNoSuchContainer):
		return dockerWords(fmt.Sprintf("No such container: %s", ctr), err)
	case errors.Is(err, errdefs.ErrNameInUse):
		return dockerWords(fmt.Sprintf("endpoint with name %s already exists in network %s", ctr, ref),
			errdefs.WithClass(errdefs.ClassForbidden, err.Error(), err))
	case errors.Is(err, errdefs.ErrBuiltinNetwork):
		return dockerWords(err.Error(), err)
	}
	return networkError(err, ref)
}
