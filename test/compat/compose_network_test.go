package compat

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// composeV2Plugin is docker compose v2 as the docker CLI's plugin;
// hack/install-deps.sh test builds it from its Go module.
const composeV2Plugin = "/usr/local/lib/docker/cli-plugins/docker-compose"

// needFile fails (SKIFF_TEST_STRICT) or skips a case whose tool is missing.
func needFile(t *testing.T, path, installedBy string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("SKIFF_TEST_STRICT") != "" {
			t.Fatalf("%s: %v (%s installs it)", path, err, installedBy)
		}
		t.Skipf("%s is not installed (%s installs it): %v", path, installedBy, err)
	}
}

// composeV2 runs `docker compose` (the v2 plugin) for project in dir.
func (md *mode) composeV2(t testing.TB, dir, project string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	full := append([]string{"compose", "--ansi", "never", "--progress", "plain", "-p", project}, args...)
	c := exec.CommandContext(ctx, suite.dockerCLI, full...)
	c.Env = md.dockerEnv()
	c.Dir = dir
	c.WaitDelay = 5 * time.Second
	var so, se bytes.Buffer
	c.Stdout, c.Stderr = &so, &se
	err := c.Run()
	r := result{args: full, stdout: so.String(), stderr: se.String(), code: exitCode(c, err)}
	if ctx.Err() != nil {
		t.Errorf("timed out: %s", r)
	}
	t.Logf("[%s] %s", md.name, r)
	return r
}

// composeTwoServices is a project whose client reaches web by its service
// name over the project's default network, then prints what it fetched.
// The network's subnet (%s) is the run's own: as root, bridges and their
// DNS servers live in the host's namespace, where another store's network
// (another suite's, left over or running) may hold the subnet skiff would
// pick first, and with it the gateway address the DNS server answers on.
const composeTwoServices = `version: "3"
services:
  web:
    image: ` + image + `
    command: sh -c 'mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www'
  client:
    image: ` + image + `
    command: sh -c 'until wget -q -O - http://web:8080/; do sleep 1; done; exec sleep 1000'
networks:
  default:
    ipam:
      config:
        - subnet: %s
`

// composeRunner is one compose implementation: how to run it and what it
// names the containers of service svc.
type composeRunner struct {
	run       func(md *mode, t testing.TB, dir, project string, args ...string) result
	container func(project, svc string) string
}

var (
	composeV1Runner = composeRunner{
		run:       (*mode).compose,
		container: func(p, svc string) string { return p + "_" + svc + "_1" },
	}
	composeV2Runner = composeRunner{
		run:       (*mode).composeV2,
		container: func(p, svc string) string { return p + "-" + svc + "-1" },
	}
)

// TestComposeV1DefaultNetwork: docker-compose 1.29 creates the project's
// default network through /networks/create, its services find each other
// by name there, and down removes the network.
func TestComposeV1DefaultNetwork(t *testing.T) {
	needFile(t, composeBin, "hack/install-deps.sh test")
	forModes(t, func(t *testing.T, md *mode) { testComposeDefaultNetwork(t, md, composeV1Runner, "c1") })
}

// TestComposeV2DefaultNetwork is the same project through docker compose
// v2.29 (the docker CLI plugin), which creates its containers with the
// network and the service aliases in one call (API 1.44 and later).
func TestComposeV2DefaultNetwork(t *testing.T) {
	needFile(t, composeV2Plugin, "hack/install-deps.sh test")
	forModes(t, func(t *testing.T, md *mode) { testComposeDefaultNetwork(t, md, composeV2Runner, "c2") })
}

func testComposeDefaultNetwork(t *testing.T, md *mode, cr composeRunner, tag string) {
	project := strings.ReplaceAll(uniqueName(t, tag), "-", "")
	network := project + "_default"
	dir := t.TempDir()
	yml := fmt.Sprintf(composeTwoServices, runSubnet(md.rootless))
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cr.run(md, t, dir, project, "down", "-t", "0") })

	if r := cr.run(md, t, dir, project, "up", "-d"); r.code != 0 {
		t.Fatalf("up -d failed: %s", r)
	}
	r := md.must(t, "network", "inspect", "--format", "{{.Name}}", network)
	if r.out() != network {
		t.Errorf("network inspect: got %q, want %s", r.out(), network)
	}
	r = cr.run(md, t, dir, project, "ps")
	wantCode(t, r, 0)
	for _, svc := range []string{"web", "client"} {
		if n := strings.Count(r.stdout, cr.container(project, svc)); n != 1 {
			t.Errorf("ps: want %s listed once, got %d times:\n%s", cr.container(project, svc), n, r.stdout)
		}
	}
	r = md.must(t, "inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", cr.container(project, "web"))
	if r.out() != network {
		t.Errorf("web's networks: got %q, want %s", r.out(), network)
	}
	// The client prints the page once it resolved "web" and fetched it.
	eventually(t, func() (bool, string) {
		r := cr.run(md, t, dir, project, "logs", "--no-color", "client")
		return r.code == 0 && strings.Contains(r.stdout, "hello-from-web"), r.String()
	})
	if r := cr.run(md, t, dir, project, "down", "-t", "0"); r.code != 0 {
		t.Fatalf("down failed: %s", r)
	}
	r = md.must(t, "ps", "-a", "--filter", "label=com.docker.compose.project="+project, "--format", "{{.Names}}")
	if r.out() != "" {
		t.Errorf("after down: containers left: %q", r.out())
	}
	r = md.docker(t, nil, "network", "inspect", network)
	if r.code == 0 {
		t.Errorf("after down: network %s is still there: %s", network, r)
	}
}
