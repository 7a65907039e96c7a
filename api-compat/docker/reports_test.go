package docker

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// jsonObject is v as the client decodes it, generically.
func jsonObject(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestInspectFrom: the answer is Docker's shape, with Docker's keys even
// where skiff has nothing, and without skiff's extras.
func TestInspectFrom(t *testing.T) {
	started := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	timeout := uint(3)
	in := engine.InspectContainer{
		ID: "abc", Created: started, Name: "/web",
		State: engine.ContainerState{Status: "running", Running: true, Pid: 7, ConmonPid: 6, StartedAt: started},
		HostConfig: engine.HostConfig{
			NetworkMode:  "p_default",
			PortBindings: nat.PortMap{"80/tcp": {{HostIP: "127.0.0.1", HostPort: ""}}},
			DNS:          []string{"10.0.0.1"},
		},
		Config: engine.ContainerConfig{Image: "busybox", Cmd: []string{"sh"}, StopTimeout: &timeout,
			ExposedPorts: nat.PortSet{"80/tcp": {}}},
		NetworkSettings: engine.NetworkSettings{
			Ports:    nat.PortMap{"80/tcp": {{HostIP: "127.0.0.1", HostPort: "40000"}}},
			Networks: map[string]*network.EndpointSettings{"p_default": {IPAddress: "10.89.0.2", Aliases: []string{"web"}}, "none": nil},
		},
	}
	got := inspectFrom(in)
	if got.State.StartedAt != "2026-01-02T03:04:05.000000006Z" || got.State.FinishedAt != "0001-01-01T00:00:00Z" || got.Created != got.State.StartedAt {
		t.Errorf("times: created %q started %q finished %q", got.Created, got.State.StartedAt, got.State.FinishedAt)
	}
	if *got.Config.StopTimeout != 3 || got.HostConfig.NetworkMode != "p_default" || got.HostConfig.RestartPolicy.Name != container.RestartPolicyDisabled {
		t.Errorf("config %+v host config %+v", got.Config, got.HostConfig)
	}
	if !reflect.DeepEqual(got.HostConfig.PortBindings, in.HostConfig.PortBindings) || !reflect.DeepEqual(got.NetworkSettings.Ports, in.NetworkSettings.Ports) {
		t.Errorf("ports: bindings %v, settings %v", got.HostConfig.PortBindings, got.NetworkSettings.Ports)
	}
	if got.NetworkSettings.Networks["none"] == nil || got.NetworkSettings.Networks["p_default"].IPAddress != "10.89.0.2" {
		t.Errorf("networks %v", got.NetworkSettings.Networks)
	}
	m := jsonObject(t, got)
	state := m["State"].(map[string]any)
	if _, ok := state["ConmonPid"]; ok {
		t.Errorf("skiff's ConmonPid leaked into Docker's State: %v", state)
	}
	hc := m["HostConfig"].(map[string]any)
	for _, k := range []string{"PortBindings", "PublishAllPorts", "Dns", "DnsSearch", "DnsOptions", "ExtraHosts", "Memory", "CapAdd"} {
		if _, ok := hc[k]; !ok {
			t.Errorf("HostConfig lacks %s", k)
		}
	}
	ns := m["NetworkSettings"].(map[string]any)
	for _, k := range []string{"Ports", "Networks", "SandboxKey", "IPAddress", "Gateway"} {
		if _, ok := ns[k]; !ok {
			t.Errorf("NetworkSettings lacks %s", k)
		}
	}
	if p := jsonObject(t, inspectFrom(engine.InspectContainer{}))["NetworkSettings"].(map[string]any)["Ports"]; !reflect.DeepEqual(p, map[string]any{}) {
		t.Errorf("no ports: NetworkSettings.Ports = %v, want {}", p)
	}
}

func TestSummaryFrom(t *testing.T) {
	in := engine.ListContainer{ID: "abc", Names: []string{"/web"}, State: "running",
		Ports:    []engine.Port{{IP: "127.0.0.1", PrivatePort: 80, PublicPort: 8080, Type: "tcp"}, {PrivatePort: 53, Type: "udp"}},
		ExitCode: 3}
	in.HostConfig.NetworkMode = "bridge"
	in.NetworkSettings.Networks = map[string]*network.EndpointSettings{"bridge": nil}
	got := summaryFrom(in)
	want := []container.Port{{IP: "127.0.0.1", PrivatePort: 80, PublicPort: 8080, Type: "tcp"}, {PrivatePort: 53, Type: "udp"}}
	if !reflect.DeepEqual(got.Ports, want) || got.HostConfig.NetworkMode != "bridge" || got.NetworkSettings.Networks["bridge"] == nil {
		t.Errorf("summary %+v", got)
	}
	m := jsonObject(t, got)
	if _, ok := m["ExitCode"]; ok {
		t.Errorf("skiff's ExitCode leaked into Docker's list: %v", m)
	}
	if ports := jsonObject(t, summaryFrom(engine.ListContainer{}))["Ports"]; !reflect.DeepEqual(ports, []any{}) {
		t.Errorf("no ports: Ports = %v, want []", ports)
	}
}
