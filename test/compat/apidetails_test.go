package compat

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/client"
)

// dockerWithEnv runs the docker CLI against md with extra environment.
func (md *mode) dockerWithEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := md.dockerCmd(ctx, args...)
	c.Env = append(c.Env, env...)
	var so, se bytes.Buffer
	c.Stdout, c.Stderr = &so, &se
	err := c.Run()
	r := result{args: args, stdout: so.String(), stderr: se.String(), code: exitCode(c, err)}
	t.Logf("[%s] %v %s", md.name, env, r)
	return r
}

// sdkClientFor is the Go SDK on md's socket without touching the process
// environment (sdkClient's way), so that modes can run in parallel.
func (md *mode) sdkClientFor(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.NewClientWithOpts(client.WithHost("unix://"+md.sock), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// rawAnswer sends one request straight to md's socket and returns the
// status and the "message" of a JSON error body.
func (md *mode) rawAnswer(t *testing.T, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://skiff"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := md.httpClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct{ Message string }
	_ = json.Unmarshal(b, &e)
	t.Logf("[%s] %s %s: %d %s", md.name, method, path, resp.StatusCode, b)
	return resp.StatusCode, e.Message
}

// TestAPIVersionBounds: a client pinned to a version outside 1.24–1.51
// gets Docker's own refusal.
func TestAPIVersionBounds(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.dockerWithEnv(t, []string{"DOCKER_API_VERSION=99.99"}, "ps")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "Error response from daemon: client version 99.99 is too new. Maximum supported API version is 1.51")

		r = md.dockerWithEnv(t, []string{"DOCKER_API_VERSION=1.12"}, "ps")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr,
			"Error response from daemon: client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")

		md.must(t, "ps") // negotiating clients are unaffected
	})
}

// TestAPIDetails: request details answered as Docker answers them.
func TestAPIDetails(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		status, msg := md.rawAnswer(t, "POST", "/v1.51/containers/create", "text/plain", `{"Image":"`+image+`"}`)
		if status != 400 || msg != "unsupported Content-Type header (text/plain): must be 'application/json'" {
			t.Errorf("create with text/plain: %d %q", status, msg)
		}
		status, msg = md.rawAnswer(t, "POST", "/v1.51/containers/create", "application/json; charset=utf-8", `{"Image":"`+image+`","Cmd":["true"]}`)
		if status != 201 {
			t.Errorf("create with application/json; charset=utf-8: %d %q", status, msg)
		}

		status, msg = md.rawAnswer(t, "GET", "/v1.51/images/..%2F..%2Fetc%2Fpasswd/json", "", "")
		if status != 400 || !strings.Contains(msg, "invalid reference format") {
			t.Errorf("image inspect of a path: %d %q, want 400 invalid reference format", status, msg)
		}
		// The SDK cleans "../" out of paths itself; any bad name shows
		// that it reads the 400 as Docker's invalid-parameter class.
		_, err := md.sdkClientFor(t).ImageInspect(context.Background(), "Upper")
		if !cerrdefs.IsInvalidArgument(err) {
			t.Errorf("SDK image inspect of an invalid name: %v, want an invalid-argument error", err)
		}

		status, msg = md.rawAnswer(t, "POST", "/v1.51/images/"+image+"/tag?repo=bad%20tag", "", "")
		if status != 400 || strings.Count(msg, "bad tag") != 1 {
			t.Errorf("tag as \"bad tag\": %d %q, want 400 naming it once", status, msg)
		}
	})
}

// TestCLISizeLimits: a label over its limit is refused by the service in
// one line; docker run reports it with exit code 125.
func TestCLISizeLimits(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		labels := filepath.Join(t.TempDir(), "labels")
		if err := os.WriteFile(labels, []byte("x="+strings.Repeat("v", 5000)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := md.docker(t, nil, "run", "--rm", "--label-file", labels, image, "true")
		wantCode(t, r, 125)
		first, _, _ := strings.Cut(r.stderr, "\n")
		const want = `docker: Error response from daemon: label "x": 5001 bytes exceeds the limit of 4096 bytes for a label: invalid argument`
		if first != want {
			t.Errorf("first line of stderr %q, want %q", first, want)
		}
	})
}
