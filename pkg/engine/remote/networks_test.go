package remote

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/docker/docker/api/types/network"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func (e *scriptEngine) Networks() engine.NetworkEngine { return scriptNetworks{} }

// scriptNetworks knows one network, "front", with one container on it.
type scriptNetworks struct{ engine.NetworkEngine }

func front() engine.NetworkReport {
	return engine.NetworkReport{Name: "front", ID: "f00d", Driver: "bridge", Scope: "local",
		IPAM:       network.IPAM{Config: []network.IPAMConfig{{Subnet: "10.100.0.0/24", Gateway: "10.100.0.1"}}},
		Containers: map[string]network.EndpointResource{"c1": {Name: "web", IPv4Address: "10.100.0.2/24"}},
		Labels:     map[string]string{"env": "dev"}}
}

func (scriptNetworks) Inspect(ctx context.Context, names []string) ([]engine.NetworkReport, error) {
	var out []engine.NetworkReport
	var errs []error
	for _, n := range names {
		if n != "front" {
			errs = append(errs, fmt.Errorf("network %s: %w", n, errdefs.ErrNoSuchNetwork))
			continue
		}
		out = append(out, front())
	}
	return out, errors.Join(errs...)
}

func (scriptNetworks) Remove(ctx context.Context, names []string, opts engine.NetworkRemoveOptions) ([]engine.ActionReport, error) {
	var out []engine.ActionReport
	for _, n := range names {
		rep := engine.ActionReport{ID: n, RawInput: n}
		switch {
		case n == "bridge":
			rep.Err = fmt.Errorf("network bridge: bridge is a pre-defined network and cannot be removed: %w", errdefs.ErrBuiltinNetwork)
		case n == "front" && !opts.Force:
			rep.Err = fmt.Errorf("network front is in use by container web: %w", errdefs.ErrNetworkInUse)
		}
		out = append(out, rep)
	}
	return out, nil
}

func (scriptNetworks) Connect(ctx context.Context, name string, opts engine.NetworkConnectOptions) error {
	if name != "front" || opts.Container != "web" || len(opts.Aliases) != 1 || opts.Aliases[0] != "api" || opts.IPv4 != "10.100.0.9" {
		return fmt.Errorf("connect got %s %+v: %w", name, opts, errdefs.ErrInvalidArg)
	}
	return nil
}

// TestNetworksOverTheWire: reports, per-name errors and options cross the
// native API unchanged, and error classes survive for errors.Is.
func TestNetworksOverTheWire(t *testing.T) {
	ctx := context.Background()
	nets := serve(t, &scriptEngine{}).Networks()

	got, err := nets.Inspect(ctx, []string{"front", "back"})
	if !errors.Is(err, errdefs.ErrNoSuchNetwork) {
		t.Fatalf("inspect of a missing network: err = %v, want no such network", err)
	}
	if len(got) != 1 || got[0].Name != "front" || got[0].Containers["c1"].IPv4Address != "10.100.0.2/24" ||
		got[0].IPAM.Config[0].Gateway != "10.100.0.1" || got[0].Labels["env"] != "dev" {
		t.Fatalf("inspect's found networks did not cross the wire: %+v", got)
	}

	reports, err := nets.Remove(ctx, []string{"bridge", "front", "side"}, engine.NetworkRemoveOptions{})
	if err != nil || len(reports) != 3 {
		t.Fatalf("remove: %v, %+v", err, reports)
	}
	for i, want := range []error{errdefs.ErrBuiltinNetwork, errdefs.ErrNetworkInUse, nil} {
		if !errors.Is(reports[i].Err, want) || (want == nil && reports[i].Err != nil) {
			t.Errorf("remove %s: err = %v, want %v", reports[i].RawInput, reports[i].Err, want)
		}
	}
	if errdefs.ClassOf(reports[0].Err) != errdefs.ClassForbidden {
		t.Errorf("removing a builtin network: class %v, want forbidden", errdefs.ClassOf(reports[0].Err))
	}

	if err := nets.Connect(ctx, "front", engine.NetworkConnectOptions{Container: "web", Aliases: []string{"api"}, IPv4: "10.100.0.9"}); err != nil {
		t.Fatalf("connect: %v", err)
	}
}
