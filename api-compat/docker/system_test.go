package docker

import (
	"reflect"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/version"
)

// TestVersionsAgree: /version's ApiVersion must equal /_ping's
// Api-Version (compose v1 compares them).
func TestVersionsAgree(t *testing.T) {
	v := version.Get()
	if v.APIVersion != server.APIVersionMax || v.MinAPIVersion != server.APIVersionMin {
		t.Fatalf("version.Get() says API %s (min %s), the server %s (min %s)", v.APIVersion, v.MinAPIVersion, server.APIVersionMax, server.APIVersionMin)
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
	got := deleteResponses([]engine.ImageRemoveReport{{Untagged: []string{"localhost/a:1", "docker.io/library/a:2"}, Deleted: "sha256:x"}})
	want := []image.DeleteResponse{{Untagged: "localhost/a:1"}, {Untagged: "a:2"}, {Deleted: "sha256:x"}}
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
