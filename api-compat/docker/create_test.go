package docker

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func uintp(u uint) *uint  { return &u }
func intp(i int) *int     { return &i }
func i64p(i int64) *int64 { return &i }

// TestSpecFromCLIRequests decodes create bodies captured from the real
// docker CLI 28 and checks the translation or the refusal.
func TestSpecFromCLIRequests(t *testing.T) {
	tmp := "/tmp"
	tests := []struct {
		file    string
		name    string
		want    specgen.SpecGenerator
		wantErr string
	}{
		{file: "cli-create-run-d.json", name: "x", want: specgen.SpecGenerator{
			Name: "x", Image: "busybox", Command: []string{"sleep", "1"}, Env: []string{"X=1"},
			Labels: map[string]string{"a": "b"}, Pull: "never",
			Mounts: []specgen.Mount{{Source: tmp, Destination: tmp}},
		}},
		{file: "cli-create-it-rm.json", want: specgen.SpecGenerator{
			Image: "busybox", Command: []string{"sh"}, Entrypoint: []string{}, User: "1000", WorkDir: "/tmp",
			Hostname: "h", NetworkMode: "none", Terminal: true, Stdin: true, Remove: true,
			StopSignal: "SIGINT", StopTimeout: uintp(3), Pull: "never",
		}},
		{file: "cli-create-mount.json", want: specgen.SpecGenerator{
			Image: "busybox", Pull: "never",
			Mounts: []specgen.Mount{{Source: tmp, Destination: "/mnt", ReadOnly: true}},
		}},
		{file: "cli-create-memory.json", want: specgen.SpecGenerator{
			Image: "busybox", Pull: "never", ResourceConfig: specgen.ResourceConfig{Memory: 10 << 20},
		}},
		{file: "cli-create-publish.json", want: specgen.SpecGenerator{
			Image: "busybox", Pull: "never", Expose: []string{"80/tcp"},
			PortMappings: []nettypes.PortMapping{{ContainerPort: 80, HostPort: 8080, Range: 1, Protocol: "tcp"}},
		}},
		{file: "cli-create-bridge.json", want: specgen.SpecGenerator{Image: "busybox", Pull: "never"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			var req container.CreateRequest
			if err := json.Unmarshal(raw, &req); err != nil {
				t.Fatal(err)
			}
			got, err := specFromCreate("", tt.name, req)
			checkSpec(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func checkSpec(t *testing.T, got specgen.SpecGenerator, err error, want specgen.SpecGenerator, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error = %v, want one containing %q", err, wantErr)
		}
		if !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Fatalf("error %v is not of the invalid class (400)", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("spec\n got %s\nwant %s", g, w)
	}
}

func TestSpecFromCreate(t *testing.T) {
	base := func(mod func(*container.Config, *container.HostConfig)) container.CreateRequest {
		cfg := &container.Config{Image: "img"}
		hc := &container.HostConfig{}
		mod(cfg, hc)
		return container.CreateRequest{Config: cfg, HostConfig: hc}
	}
	tests := []struct {
		name    string
		req     container.CreateRequest
		want    specgen.SpecGenerator
		wantErr string
	}{
		{name: "sdk defaults", req: base(func(*container.Config, *container.HostConfig) {}),
			want: specgen.SpecGenerator{Image: "img", Pull: "never"}},
		{name: "nil host config", req: container.CreateRequest{Config: &container.Config{Image: "img"}},
			want: specgen.SpecGenerator{Image: "img", Pull: "never"}},
		{name: "network disabled is none", req: base(func(c *container.Config, _ *container.HostConfig) { c.NetworkDisabled = true }),
			want: specgen.SpecGenerator{Image: "img", NetworkMode: "none", Pull: "never"}},
		{name: "network disabled with host", req: base(func(c *container.Config, h *container.HostConfig) {
			c.NetworkDisabled = true
			h.NetworkMode = "host"
		}), wantErr: "Config.NetworkDisabled conflicts"},
		{name: "entrypoint kept", req: base(func(c *container.Config, _ *container.HostConfig) { c.Entrypoint = []string{"/bin/sh", "-c"} }),
			want: specgen.SpecGenerator{Image: "img", Entrypoint: []string{"/bin/sh", "-c"}, Pull: "never"}},
		{name: "negative stop timeout", req: base(func(c *container.Config, _ *container.HostConfig) { c.StopTimeout = intp(-1) }),
			wantErr: "Config.StopTimeout -1 is not supported yet"},
		{name: "privileged", req: base(func(_ *container.Config, h *container.HostConfig) { h.Privileged = true }),
			want: specgen.SpecGenerator{Image: "img", Pull: "never", SecurityConfig: specgen.SecurityConfig{Privileged: true}}},
		{name: "cpu shares and cpus", req: base(func(_ *container.Config, h *container.HostConfig) {
			h.CPUShares, h.NanoCPUs, h.CpusetCpus, h.BlkioWeight = 512, 1.5e9, "0", 300
		}), want: specgen.SpecGenerator{Image: "img", Pull: "never", ResourceConfig: specgen.ResourceConfig{
			CPUShares: 512, NanoCPUs: 1.5e9, CpusetCpus: "0", BlkioWeight: 300}}},
		{name: "security", req: base(func(_ *container.Config, h *container.HostConfig) {
			h.CapAdd, h.CapDrop = []string{"NET_ADMIN"}, []string{"ALL"}
			h.SecurityOpt = []string{"seccomp=unconfined", "no-new-privileges:true", "label=disable"}
			h.GroupAdd, h.Sysctls = []string{"users"}, map[string]string{"net.ipv4.ip_forward": "1"}
			h.Ulimits = []*container.Ulimit{{Name: "nofile", Soft: 10, Hard: 20}}
			h.Init = func() *bool { b := true; return &b }()
			h.MaskedPaths = []string{"/proc/x"}
		}), want: specgen.SpecGenerator{Image: "img", Pull: "never",
			SecurityConfig: specgen.SecurityConfig{CapAdd: []string{"NET_ADMIN"}, CapDrop: []string{"ALL"},
				SeccompProfile: "unconfined", NoNewPrivileges: true, LabelDisable: true, MaskedPaths: &[]string{"/proc/x"}},
			ResourceConfig:  specgen.ResourceConfig{Ulimits: []specgen.Ulimit{{Name: "nofile", Soft: 10, Hard: 20}}},
			IsolationConfig: specgen.IsolationConfig{GroupAdd: []string{"users"}, Sysctls: map[string]string{"net.ipv4.ip_forward": "1"}, Init: true},
		}},
		{name: "bad security opt", req: base(func(_ *container.Config, h *container.HostConfig) { h.SecurityOpt = []string{"seccomp={"} }),
			wantErr: "HostConfig.SecurityOpt[0]: seccomp profile"},
		{name: "devices", req: base(func(_ *container.Config, h *container.HostConfig) {
			h.Devices = []container.DeviceMapping{{PathOnHost: "/dev/fuse", CgroupPermissions: "rw"}}
		}), want: specgen.SpecGenerator{Image: "img", Pull: "never", IsolationConfig: specgen.IsolationConfig{
			Devices: []specgen.Device{{PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", Permissions: "rw"}}}}},
		{name: "restart always", req: base(func(_ *container.Config, h *container.HostConfig) { h.RestartPolicy.Name = "always" }),
			wantErr: `HostConfig.RestartPolicy "always" is not supported yet`},
		{name: "restart no", req: base(func(_ *container.Config, h *container.HostConfig) { h.RestartPolicy.Name = "no" }),
			want: specgen.SpecGenerator{Image: "img", Pull: "never"}},
		{name: "pids limit set", req: base(func(_ *container.Config, h *container.HostConfig) { h.PidsLimit = i64p(100) }),
			want: specgen.SpecGenerator{Image: "img", Pull: "never", ResourceConfig: specgen.ResourceConfig{PidsLimit: 100}}},
		{name: "pids limit unlimited", req: base(func(_ *container.Config, h *container.HostConfig) { h.PidsLimit = i64p(-1) }),
			want: specgen.SpecGenerator{Image: "img", Pull: "never"}},
		{name: "log driver", req: base(func(_ *container.Config, h *container.HostConfig) { h.LogConfig.Type = "journald" }),
			wantErr: "HostConfig.LogConfig is not supported yet"},
		{name: "runtime crun", req: base(func(_ *container.Config, h *container.HostConfig) { h.Runtime = "crun" }),
			wantErr: `HostConfig.Runtime "crun" is not supported yet`},
		{name: "anonymous volume", req: base(func(c *container.Config, _ *container.HostConfig) { c.Volumes = map[string]struct{}{"/data": {}} }),
			want: specgen.SpecGenerator{Image: "img", Pull: "never",
				VolumeSpec: specgen.VolumeSpec{Volumes: []specgen.VolumeMount{{Destination: "/data", Anonymous: true}}}}},
		{name: "healthcheck", req: base(func(c *container.Config, _ *container.HostConfig) {
			c.Healthcheck = &container.HealthConfig{Test: []string{"CMD", "true"}}
		}), wantErr: "Config.Healthcheck is not supported yet"},
		{name: "volume mount", req: base(func(_ *container.Config, h *container.HostConfig) {
			h.Mounts = []mount.Mount{{Type: mount.TypeVolume, Source: "v", Target: "/v"}}
		}), want: specgen.SpecGenerator{Image: "img", Pull: "never",
			VolumeSpec: specgen.VolumeSpec{Volumes: []specgen.VolumeMount{{Name: "v", Destination: "/v"}}}}},
		{name: "bind mount propagation", req: base(func(_ *container.Config, h *container.HostConfig) {
			h.Mounts = []mount.Mount{{Type: mount.TypeBind, Source: "/tmp", Target: "/t", BindOptions: &mount.BindOptions{Propagation: mount.PropagationRSlave}}}
		}), want: specgen.SpecGenerator{Image: "img", Pull: "never",
			Mounts: []specgen.Mount{{Source: "/tmp", Destination: "/t", Options: []string{"rslave"}}}}},
		{name: "bind mount non-recursive", req: base(func(_ *container.Config, h *container.HostConfig) {
			h.Mounts = []mount.Mount{{Type: mount.TypeBind, Source: "/tmp", Target: "/t", BindOptions: &mount.BindOptions{NonRecursive: true}}}
		}), wantErr: "HostConfig.Mounts[0].BindOptions"},
		{name: "named volume bind", req: base(func(_ *container.Config, h *container.HostConfig) { h.Binds = []string{"vol:/data"} }),
			want: specgen.SpecGenerator{Image: "img", Pull: "never",
				VolumeSpec: specgen.VolumeSpec{Volumes: []specgen.VolumeMount{{Name: "vol", Destination: "/data"}}}}},
		{name: "bad volume name in Binds", req: base(func(_ *container.Config, h *container.HostConfig) { h.Binds = []string{"v:/data"} }),
			wantErr: "HostConfig.Binds"},
		{name: "name with slash", req: base(func(*container.Config, *container.HostConfig) {}),
			want: specgen.SpecGenerator{Image: "img", Pull: "never"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := specFromCreate("", "", tt.req)
			checkSpec(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestSpecFromCreateName(t *testing.T) {
	got, err := specFromCreate("", "/web", container.CreateRequest{Config: &container.Config{Image: "img"}})
	if err != nil || got.Name != "web" {
		t.Fatalf("name = %q, %v; want web", got.Name, err)
	}
}
