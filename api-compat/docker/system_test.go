package docker

import (
	"reflect"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

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
	got := dockerInfo(in, time.Unix(0, 0).UTC())
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
		{"ID stable", got.ID, dockerInfo(in, time.Now()).ID},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestDockerVersion(t *testing.T) {
	v := &engine.Version{Version: "0.1.0", GoVersion: "go1.26", OsArch: "linux/amd64", GitCommit: "abc"}
	info := &engine.Info{Host: engine.HostInfo{Kernel: "6.1.0", OCIRuntime: engine.Program{Name: "runc", Version: "1.1.5"}}}
	got := dockerVersion(v, info)
	if got.APIVersion != "1.51" || got.MinAPIVersion != "1.24" || got.Os != "linux" || got.Arch != "amd64" || got.KernelVersion != "6.1.0" {
		t.Fatalf("version = %+v", got)
	}
	if len(got.Components) != 2 || got.Components[0].Name != "Engine" || got.Components[0].Details["ApiVersion"] != "1.51" || got.Components[1].Name != "runc" {
		t.Fatalf("components = %+v", got.Components)
	}
}

func TestFamiliarRef(t *testing.T) {
	for in, want := range map[string]string{
		"busybox":                  "busybox:latest",
		"docker.io/library/alpine": "alpine:latest",
		"localhost/busybox":        "localhost/busybox:latest",
		"localhost/busybox:1":      "localhost/busybox:1",
		"Not A Ref":                "Not A Ref",
	} {
		if got := familiarRef(in); got != want {
			t.Errorf("familiarRef(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeleteResponses(t *testing.T) {
	got := deleteResponses([]engine.ImageRemoveReport{{Untagged: []string{"a:1", "a:2"}, Deleted: "sha256:x"}})
	want := []image.DeleteResponse{{Untagged: "a:1"}, {Untagged: "a:2"}, {Deleted: "sha256:x"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got := deleteResponses(nil); got == nil || len(got) != 0 {
		t.Fatalf("empty = %#v, want an empty non-nil list (JSON [])", got)
	}
}

func TestExecOptions(t *testing.T) {
	cs := [2]uint{24, 80}
	got, err := execOptions(containerExec([]string{"sh"}, true, &cs))
	if err != nil || !got.Tty || !got.Interactive || got.InitialSize == nil || got.InitialSize.Height != 24 || got.InitialSize.Width != 80 {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := execOptions(containerExec(nil, false, nil)); err == nil {
		t.Fatal("exec without a command accepted")
	}
}

func containerExec(cmd []string, tty bool, cs *[2]uint) containerExecOptions {
	return containerExecOptions{Cmd: cmd, Tty: tty, AttachStdin: tty, ConsoleSize: cs}
}

type containerExecOptions = container.ExecOptions
