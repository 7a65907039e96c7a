package command

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestResolveTarget(t *testing.T) {
	conns := &Connections{Default: "prod", Connections: map[string]Connection{
		"prod": {URI: "ssh://u@prod/run/skiff.sock", Identity: "/k"},
		"dev":  {URI: "unix:///dev.sock"},
	}}
	noDefault := &Connections{Connections: conns.Connections}
	tests := []struct {
		name   string
		g      GlobalOptions
		env    map[string]string
		conns  *Connections
		uri    string
		source string
		err    bool
	}{
		{name: "nothing: local", conns: noDefault},
		{name: "url wins over everything", g: GlobalOptions{URL: "tcp://h:1", Connection: "dev"},
			env:   map[string]string{"CONTAINER_HOST": "unix:///c", "CONTAINER_CONNECTION": "dev", "DOCKER_HOST": "unix:///d"},
			conns: conns, uri: "tcp://h:1", source: "--url"},
		{name: "connection flag over env", g: GlobalOptions{Connection: "dev"},
			env:   map[string]string{"CONTAINER_HOST": "unix:///c"},
			conns: conns, uri: "unix:///dev.sock", source: "--connection dev"},
		{name: "CONTAINER_HOST over CONTAINER_CONNECTION",
			env:   map[string]string{"CONTAINER_HOST": "unix:///c", "CONTAINER_CONNECTION": "dev"},
			conns: conns, uri: "unix:///c", source: "CONTAINER_HOST"},
		{name: "CONTAINER_CONNECTION over the default",
			env:   map[string]string{"CONTAINER_CONNECTION": "dev", "DOCKER_HOST": "unix:///d"},
			conns: conns, uri: "unix:///dev.sock", source: "CONTAINER_CONNECTION dev"},
		{name: "default over DOCKER_HOST", env: map[string]string{"DOCKER_HOST": "unix:///d"},
			conns: conns, uri: "ssh://u@prod/run/skiff.sock", source: "default connection prod"},
		{name: "DOCKER_HOST last", env: map[string]string{"DOCKER_HOST": "unix:///d"},
			conns: noDefault, uri: "unix:///d", source: "DOCKER_HOST"},
		{name: "unknown connection", g: GlobalOptions{Connection: "nope"}, conns: conns, err: true},
		{name: "unknown CONTAINER_CONNECTION", env: map[string]string{"CONTAINER_CONNECTION": "nope"}, conns: conns, err: true},
		{name: "default naming a removed connection", conns: &Connections{Default: "gone", Connections: map[string]Connection{}}, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loads := 0
			got, err := ResolveTarget(tt.g, func(k string) string { return tt.env[k] },
				func() (*Connections, error) { loads++; return tt.conns, nil })
			if tt.err {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("got %+v, %v; want an invalid-argument error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.URI != tt.uri || got.Source != tt.source {
				t.Errorf("got %q from %q, want %q from %q", got.URI, got.Source, tt.uri, tt.source)
			}
			if tt.source == "--url" && loads != 0 {
				t.Errorf("--url read the connections file")
			}
			if got.Source == "default connection prod" && got.Identity != "/k" {
				t.Errorf("identity %q not carried", got.Identity)
			}
		})
	}
}

func TestConnectionsFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	c, err := LoadConnections()
	if err != nil || len(c.Connections) != 0 || c.Default != "" {
		t.Fatalf("no file: %+v, %v", c, err)
	}
	if err := c.Add("a", Connection{URI: "unix:///a.sock"}, false); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("b", Connection{URI: "tcp://h:1"}, false); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("bad", Connection{URI: "http://h"}, false); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Fatalf("bad URI accepted: %v", err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	path, _ := ConnectionsPath()
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("file %s: %v %v", path, st.Mode(), err)
	}
	back, err := LoadConnections()
	if err != nil {
		t.Fatal(err)
	}
	if back.Default != "a" || back.Connections["b"].URI != "tcp://h:1" || len(back.Names()) != 2 {
		t.Errorf("read back %+v (the first one added is the default)", back)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "connections.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConnections(); err == nil {
		t.Error("a corrupt file must be an error, not an empty set")
	}
}
