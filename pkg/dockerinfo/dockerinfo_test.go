package dockerinfo

import (
	"reflect"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

func TestDockerInfo(t *testing.T) {
	in := &engine.Info{
		Host: engine.HostInfo{
			Arch: "amd64", OS: "linux", Kernel: "6.1.0", Hostname: "box", CgroupVersion: "v1", CgroupManager: "cgroupfs",
			OCIRuntime: engine.Program{Name: "runc", Path: "/usr/sbin/runc", Version: "1.1.5"},
			Rootless:   true, Security: engine.Security{Rootless: true}, CPUs: 4, MemTotal: 1 << 30,
		},
		Store: engine.StoreInfo{
			GraphDriverName: "overlay", GraphRoot: "/g", RunRoot: "/r", ImageCount: 2, ContainerCount: 5, Running: 1, Stopped: 4,
			GraphOptions: map[string]string{"overlay.mount_program": "/usr/bin/fuse-overlayfs"},
		},
		Version: engine.Version{Version: "0.1.0"},
	}
	got := Info(in, time.Unix(0, 0).UTC())
	checks := []struct {
		name      string
		got, want any
	}{
		{"Containers", got.Containers, 5}, {"ContainersRunning", got.ContainersRunning, 1},
		{"ContainersStopped", got.ContainersStopped, 4}, {"Images", got.Images, 2},
		{"Driver", got.Driver, "overlay"}, {"DockerRootDir", got.DockerRootDir, "/g"},
		{"Architecture", got.Architecture, "x86_64"}, {"CgroupVersion", got.CgroupVersion, "1"},
		{"OSType", got.OSType, "linux"}, {"NCPU", got.NCPU, 4}, {"MemTotal", got.MemTotal, int64(1 << 30)},
		{"Name", got.Name, "box"}, {"ServerVersion", got.ServerVersion, "0.1.0"},
		{"SecurityOptions", got.SecurityOptions, []string{"name=rootless"}},
		{"DefaultRuntime", got.DefaultRuntime, "runc"},
		{"DriverStatus", got.DriverStatus, [][2]string{{"overlay.mount_program", "/usr/bin/fuse-overlayfs"}}},
		{"runc path", got.Runtimes["runc"].Path, "/usr/sbin/runc"},
		{"ID stable", got.ID, Info(in, time.Now()).ID},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestDockerVersion(t *testing.T) {
	v := &engine.Version{Version: "0.1.0", APIVersion: "1.51", MinAPIVersion: "1.24", GoVersion: "go1.26", OsArch: "linux/amd64", GitCommit: "abc"}
	info := &engine.Info{Host: engine.HostInfo{Kernel: "6.1.0", OCIRuntime: engine.Program{Name: "runc", Version: "1.1.5"}}}
	got := Version(v, info)
	if got.APIVersion != "1.51" || got.MinAPIVersion != "1.24" || got.Os != "linux" || got.Arch != "amd64" || got.KernelVersion != "6.1.0" {
		t.Fatalf("version = %+v", got)
	}
	if len(got.Components) != 2 || got.Components[0].Name != "Engine" || got.Components[0].Details["ApiVersion"] != "1.51" || got.Components[1].Name != "runc" {
		t.Fatalf("components = %+v", got.Components)
	}
}
