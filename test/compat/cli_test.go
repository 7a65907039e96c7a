package compat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var nameSeq atomic.Int64

// result is what one docker CLI call did.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("$ docker %s\n  exit %d\n  stdout: %q\n  stderr: %q", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

func (r result) out() string { return strings.TrimSpace(r.stdout) }

// dockerEnv is the complete environment of a docker CLI call against md.
func (md *mode) dockerEnv() []string {
	return []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + suite.work, "LANG=C.UTF-8",
		"DOCKER_HOST=unix://" + md.sock,
		"DOCKER_CONFIG=" + suite.dockerCfg,
	}
}

func (md *mode) dockerCmd(ctx context.Context, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, suite.dockerCLI, args...)
	c.Env = md.dockerEnv()
	c.Dir = suite.work
	c.WaitDelay = 5 * time.Second
	return c
}

// docker runs the CLI with args (stdin optional) and logs what happened.
func (md *mode) docker(t testing.TB, stdin io.Reader, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	c := md.dockerCmd(ctx, args...)
	var so, se bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = stdin, &so, &se
	err := c.Run()
	r := result{args: args, stdout: so.String(), stderr: se.String(), code: exitCode(c, err)}
	if ctx.Err() != nil {
		t.Errorf("timed out: %s", r)
	}
	t.Logf("[%s] %s", md.name, r)
	return r
}

// must runs a call that has to succeed.
func (md *mode) must(t testing.TB, args ...string) result {
	t.Helper()
	r := md.docker(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("docker %s failed: %s", strings.Join(args, " "), r)
	}
	return r
}

func exitCode(c *exec.Cmd, err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return c.ProcessState.ExitCode()
}

// wantCode checks an exit code.
func wantCode(t testing.TB, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d: %s", r.code, code, r)
	}
}

// wantContains checks that s contains every want.
func wantContains(t testing.TB, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s %q does not contain %q", what, s, w)
		}
	}
}

// eventually polls cond until it holds, or fails after hangTimeout.
func eventually(t testing.TB, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(hangTimeout)
	var why string
	for time.Now().Before(deadline) {
		var ok bool
		if ok, why = cond(); ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("condition not met within %s: %s", hangTimeout, why)
}

// rmf removes containers at the end of a case.
func (md *mode) rmf(t testing.TB, names ...string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
		defer cancel()
		_ = md.dockerCmd(ctx, append([]string{"rm", "-f"}, names...)...).Run()
	})
}

var _ = os.Getpid

// dockerCLI is the docker client the suite drives: $DOCKER_CLI, else the
// docker on PATH, else /usr/local/bin/docker, where hack/install-deps.sh
// test puts Debian's client when there is none.
func dockerCLI() (string, error) {
	path := os.Getenv("DOCKER_CLI")
	if path == "" {
		var err error
		if path, err = exec.LookPath("docker"); err != nil {
			path = "/usr/local/bin/docker"
		}
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("docker CLI: %w (hack/install-deps.sh test installs one; or set DOCKER_CLI)", err)
	}
	return path, nil
}

// reportClient learns which docker CLI the suite drives, and prints it with
// the API version it speaks to skiff: the same cases run against a Docker
// 28 CLI (API 1.51) and Debian 12's Docker 20.10 one (API 1.41).
func (s *suiteState) reportClient() error {
	md := s.modes[0]
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	out, err := md.dockerCmd(ctx, "version", "--format", "{{.Client.Version}} {{.Client.APIVersion}} {{.Server.APIVersion}}").Output()
	f := strings.Fields(string(out))
	if err != nil || len(f) != 3 {
		return fmt.Errorf("%s version: %q %v", s.dockerCLI, out, err)
	}
	s.dockerVersion = f[0]
	fmt.Printf("compat: docker CLI %s, version %s, API %s (skiff serves up to %s)\n", s.dockerCLI, f[0], f[1], f[2])
	return nil
}

// dockerOlderThan reports whether the CLI's major.minor version is below
// major.minor (a version it cannot parse counts as current).
func dockerOlderThan(major, minor int) bool {
	var maj, min int
	if _, err := fmt.Sscanf(suite.dockerVersion, "%d.%d", &maj, &min); err != nil {
		return false
	}
	return maj < major || maj == major && min < minor
}
