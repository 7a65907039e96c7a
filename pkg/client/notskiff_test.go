package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestNotSkiff: a peer that is not a skiff service (a Docker daemon's 404
// "page not found") is named as such, never taken for a skiff error.
func TestNotSkiff(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "Docker/28.3.2 (linux)")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"page not found"}`))
	})}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()

	c, err := New("unix://"+sock, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(context.Background())
	if !errors.Is(err, ErrNotSkiff) {
		t.Fatalf("Ping: err = %v, want ErrNotSkiff", err)
	}
	want := "unix://" + sock + ` is not a skiff service: it answered GET /skiff/v1/ping with 404 Not Found (page not found) as "Docker/28.3.2 (linux)"`
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Ping: err = %q, want it to start with %q", err, want)
	}
}
