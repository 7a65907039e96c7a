package command

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/skiffcontainers/skiff/pkg/client"
)

// Connection is a named remote service.
type Connection struct {
	URI string `json:"uri"`
	// Identity is the ssh private key for ssh:// URIs.
	Identity string `json:"identity,omitempty"`
}

// Connections is the file of named connections. Its layout is read by the
// rootless C constructor too (rootless/nsenter.c looks for a non-empty
// top-level "default" string), so keep "default" a plain string.
type Connections struct {
	Default     string                `json:"default,omitempty"`
	Connections map[string]Connection `json:"connections"`
}

// ConnectionsPath is the file: $XDG_CONFIG_HOME/skiff/connections.json,
// else ~/.config/skiff/connections.json, for root as for everyone.
func ConnectionsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory: %w", err)
	}
	return filepath.Join(dir, "skiff", "connections.json"), nil
}

// LoadConnections reads the file; a missing file is an empty set.
func LoadConnections() (*Connections, error) {
	c := &Connections{Connections: map[string]Connection{}}
	path, err := ConnectionsPath()
	if err != nil {
		return c, nil // no config directory: nothing configured
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading connections: %w", err)
	}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("reading connections from %s: %v", path, err)
	}
	if c.Connections == nil {
		c.Connections = map[string]Connection{}
	}
	return c, nil
}

// Save writes the file atomically (0600: it names keys).
func (c *Connections) Save() error {
	path, err := ConnectionsPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the config directory: %w", err)
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".connections-*.json")
	if err != nil {
		return fmt.Errorf("saving connections: %w", err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving connections: %w", err)
	}
	return nil
}

// Names lists the connection names in order.
func (c *Connections) Names() []string {
	names := make([]string, 0, len(c.Connections))
	for n := range c.Connections {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Add stores a connection after checking its URI.
func (c *Connections) Add(name string, conn Connection, makeDefault bool) error {
	if name == "" {
		return Invalid("a connection needs a name")
	}
	if _, err := client.ParseURI(conn.URI); err != nil {
		return err
	}
	c.Connections[name] = conn
	if makeDefault || len(c.Connections) == 1 && c.Default == "" {
		c.Default = name
	}
	return nil
}
