package compat

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// composeBin is Debian's docker-compose 1.29 (docker-py over DOCKER_HOST);
// hack/install-deps.sh installs it with the test packages.
const composeBin = "/usr/bin/docker-compose"

// compose runs docker-compose for project in dir against md's service.
func (md *mode) compose(t testing.TB, dir, project string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	full := append([]string{"--no-ansi", "-p", project}, args...)
	c := exec.CommandContext(ctx, composeBin, full...)
	c.Env = md.dockerEnv()
	c.Dir = dir
	c.WaitDelay = 5 * time.Second
	var so, se bytes.Buffer
	c.Stdout, c.Stderr = &so, &se
	err := c.Run()
	r := result{args: append([]string{"compose"}, full...), stdout: so.String(), stderr: se.String(), code: exitCode(c, err)}
	if ctx.Err() != nil {
		t.Errorf("timed out: %s", r)
	}
	t.Logf("[%s] %s", md.name, r)
	return r
}

// TestComposeHostNetwork runs a one-service project with network_mode:
// host through docker-compose 1.29: ps lists its container once (compose
// asks for oneoff=False and oneoff=True with two label filters, which
// must both match) and logs shows its output (compose skips containers
// whose inspect names no log driver).
func TestComposeHostNetwork(t *testing.T) {
	if _, err := os.Stat(composeBin); err != nil {
		if os.Getenv("SKIFF_TEST_STRICT") != "" {
			t.Fatalf("%s: %v (hack/install-deps.sh test installs it)", composeBin, err)
		}
		t.Skipf("%s is not installed (Debian's docker-compose; hack/install-deps.sh test installs it): %v", composeBin, err)
	}
	forModes(t, func(t *testing.T, md *mode) {
		project := strings.ReplaceAll(uniqueName(t, "cmp"), "-", "")
		dir := t.TempDir()
		yml := "version: \"3\"\nservices:\n  web:\n    image: " + image + "\n    network_mode: host\n" +
			"    command: sh -c 'echo hello-from-web; sleep 1000'\n"
		if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(yml), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { md.compose(t, dir, project, "down", "-t", "0") })

		if r := md.compose(t, dir, project, "up", "-d"); r.code != 0 {
			t.Fatalf("up -d failed: %s", r)
		}
		r := md.compose(t, dir, project, "ps")
		wantCode(t, r, 0)
		if n := strings.Count(r.stdout, project+"_web_1"); n != 1 {
			t.Errorf("ps: want %s_web_1 listed once, got %d times:\n%s", project, n, r.stdout)
		}
		eventually(t, func() (bool, string) {
			r := md.compose(t, dir, project, "logs", "--no-color")
			return r.code == 0 && strings.Contains(r.stdout, "hello-from-web"), r.String()
		})
		if r := md.compose(t, dir, project, "down", "-t", "0"); r.code != 0 {
			t.Errorf("down failed: %s", r)
		}
		r = md.must(t, "ps", "-a", "--filter", "label=com.docker.compose.project="+project, "--format", "{{.Names}}")
		if r.out() != "" {
			t.Errorf("after down: containers left: %q", r.out())
		}
	})
}
