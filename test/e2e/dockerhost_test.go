package e2e

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// fakeDockerd serves, on a unix socket any user may connect to, what a
// Docker daemon answers: /_ping with Docker's headers, and 404 "page not
// found" in Docker's JSON for everything else (skiff's native routes).
func fakeDockerd(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp(suite.work, "dockerd-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sock, 0o666); err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "Docker/28.3.2 (linux)")
		w.Header().Set("Api-Version", "1.51")
		if r.URL.Path == "/_ping" {
			_, _ = w.Write([]byte("OK"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"page not found"}` + "\n"))
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close(); _ = os.RemoveAll(dir) })
	return sock
}

// TestDockerHostNotSkiff: DOCKER_HOST is honoured only where a skiff
// service answers. Pointing at a Docker daemon, it leaves skiff local and
// quiet (in the remote modes --url wins over it); an explicit --url at the
// daemon fails, naming the URL and what was expected there.
func TestDockerHostNotSkiff(t *testing.T) {
	sock := fakeDockerd(t)
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolatedEnv(t, "DOCKER_HOST=unix://"+sock)
		name := cname(t)
		m.must(t, "create", "--name", name, image, "true")
		res := m.must(t, "ps", "-a", "--format", "{{.Names}}")
		wantOut(t, res, name)
		if res.Stderr != "" {
			t.Errorf("DOCKER_HOST at a Docker daemon: want a quiet local ps, got: %s", res)
		}
		wantOut(t, m.run(t, "info", "--format", "{{.Containers}}"), "1")

		res = m.run(t, "--url", "unix://"+sock, "ps")
		wantErr(t, res, 125, "Error: unix://"+sock+" is not a skiff service: it answered POST /skiff/v1/")
		wantErr(t, res, 125, `with 404 Not Found (page not found) as "Docker/28.3.2 (linux)"`)
	})
}
