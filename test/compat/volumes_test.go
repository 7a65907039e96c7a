package compat

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIVolumes drives the docker CLI's volume commands through the
// service: create with a label, ls with filters, inspect, run -v NAME:/path
// keeping data across containers, rm of a volume in use refused (409 with
// Docker's words), rm, and prune of anonymous volumes (and with -a named).
func TestCLIVolumes(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "vol")
		ctr := uniqueName(t, "volctr")
		md.rmf(t, ctr)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
			defer cancel()
			_ = md.dockerCmd(ctx, "volume", "rm", name).Run()
		})
		wantContains(t, "volume create", md.must(t, "volume", "create", "--label", "suite=compat", name).out(), name)
		r := md.must(t, "volume", "ls", "--filter", "name="+name, "--format", "{{.Driver}} {{.Name}} {{.Labels}}")
		if r.out() != "local "+name+" suite=compat" {
			t.Errorf("volume ls row %q", r.out())
		}
		wantContains(t, "volume ls -q --filter label", md.must(t, "volume", "ls", "-q", "--filter", "label=suite=compat").stdout, name)
		r = md.must(t, "volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.suite}}", name)
		if r.out() != name+" local local compat" {
			t.Errorf("volume inspect %q", r.out())
		}
		r = md.docker(t, nil, "volume", "inspect", "nosuch-vol")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "no such volume")

		md.must(t, "run", "--rm", "-v", name+":/data", image, "sh", "-c", "echo persisted > /data/f")
		if got := md.must(t, "run", "--rm", "-v", name+":/data:ro", image, "cat", "/data/f").out(); got != "persisted" {
			t.Errorf("a second container reads %q from the volume, want persisted", got)
		}
		md.must(t, "create", "--name", ctr, "-v", name+":/data", "-v", "/anon", image, "true")
		r = md.docker(t, nil, "volume", "rm", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "volume is in use")
		anon := md.must(t, "inspect", "--format", `{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}`, ctr).out()
		if len(anon) != 64 {
			t.Fatalf("inspect .Mounts names the anonymous volume %q, want a 64-hex name", anon)
		}
		md.must(t, "rm", "-v", ctr)
		wantCode(t, md.docker(t, nil, "volume", "inspect", anon), 1)

		other := md.must(t, "volume", "create").out()
		r = md.must(t, "volume", "prune", "-f")
		wantContains(t, "volume prune", r.stdout, other, "Total reclaimed space:")
		if strings.Contains(r.stdout, name) {
			t.Errorf("volume prune without -a removed the named volume: %s", r)
		}
		r = md.must(t, "volume", "prune", "-af", "--filter", "label=suite=compat")
		wantContains(t, "volume prune -a", r.stdout, name)
		wantCode(t, md.docker(t, nil, "volume", "inspect", name), 1)
	})
}

// composeVolumeProject keeps what its service writes in a named volume.
const composeVolumeProject = `version: "3"
services:
  app:
    image: ` + image + `
    command: sh -c 'echo stored > /data/f && exec sleep 1000'
    volumes:
      - data:/data
volumes:
  data:
`

// TestComposeV1Volume: docker-compose 1.29 creates the project's named
// volume, its service writes there, and down -v removes it.
func TestComposeV1Volume(t *testing.T) {
	needFile(t, composeBin, "hack/install-deps.sh test")
	forModes(t, func(t *testing.T, md *mode) { testComposeVolume(t, md, composeV1Runner, "v1") })
}

// TestComposeV2Volume is the same project through docker compose v2.
func TestComposeV2Volume(t *testing.T) {
	needFile(t, composeV2Plugin, "hack/install-deps.sh test")
	forModes(t, func(t *testing.T, md *mode) { testComposeVolume(t, md, composeV2Runner, "v2") })
}

func testComposeVolume(t *testing.T, md *mode, cr composeRunner, tag string) {
	project := strings.ReplaceAll(uniqueName(t, tag), "-", "")
	vol := project + "_data"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(composeVolumeProject), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cr.run(md, t, dir, project, "down", "-v", "-t", "0") })
	if r := cr.run(md, t, dir, project, "up", "-d"); r.code != 0 {
		t.Fatalf("up -d failed: %s", r)
	}
	r := md.must(t, "volume", "inspect", "--format", "{{.Name}} {{index .Labels \"com.docker.compose.project\"}}", vol)
	if r.out() != vol+" "+project {
		t.Errorf("volume inspect: got %q, want the volume labelled with its project", r.out())
	}
	eventually(t, func() (bool, string) {
		r := md.docker(t, nil, "run", "--rm", "-v", vol+":/d", image, "cat", "/d/f")
		return r.out() == "stored", r.String()
	})
	if r := cr.run(md, t, dir, project, "down", "-v", "-t", "0"); r.code != 0 {
		t.Fatalf("down -v failed: %s", r)
	}
	wantCode(t, md.docker(t, nil, "volume", "inspect", vol), 1)
}
