package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "skiff.conf")
	if err := os.WriteFile(conf, []byte("[storage]\ndriver = \"vfs\"\n[engine]\nruntime = \"crun\"\n[network]\ndefault_network_mode = \"slirp4netns\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.conf")
	if err := os.WriteFile(bad, []byte("[storage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                          string
		env                           map[string]string
		rootless                      bool
		wantRoot, wantRun, wantDriver string
		wantRuntime, wantNetwork      string
		wantErr                       bool
	}{
		{name: "root defaults", env: map[string]string{"SKIFF_CONFIG": filepath.Join(dir, "none")},
			wantRoot: "/var/lib/skiff/storage", wantRun: "/run/skiff/storage"},
		{name: "rootless XDG", rootless: true,
			env:      map[string]string{"XDG_DATA_HOME": "/d", "HOME": "/h", "XDG_CONFIG_HOME": filepath.Join(dir, "none")},
			wantRoot: "/d/skiff/storage", wantRun: "/rt/storage"},
		{name: "rootless HOME", rootless: true,
			env:      map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": filepath.Join(dir, "none")},
			wantRoot: "/h/.local/share/skiff/storage", wantRun: "/rt/storage"},
		{name: "config file", rootless: true, env: map[string]string{"HOME": "/h", "SKIFF_CONFIG": conf},
			wantRoot: "/h/.local/share/skiff/storage", wantRun: "/rt/storage", wantDriver: "vfs", wantRuntime: "crun", wantNetwork: "slirp4netns"},
		{name: "bad config", env: map[string]string{"SKIFF_CONFIG": bad}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(Environment{Rootless: tt.rootless, UID: 1000, RuntimeDir: "/rt",
				Getenv: func(k string) string { return tt.env[k] }})
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.GraphRoot != tt.wantRoot || c.RunRoot != tt.wantRun || c.StorageDriver != tt.wantDriver || c.Runtime != tt.wantRuntime {
				t.Errorf("got root=%q run=%q driver=%q runtime=%q", c.GraphRoot, c.RunRoot, c.StorageDriver, c.Runtime)
			}
			if c.DefaultNetworkMode != tt.wantNetwork {
				t.Errorf("default network mode %q, want %q", c.DefaultNetworkMode, tt.wantNetwork)
			}
			if c.DatabasePath() != filepath.Join(c.GraphRoot, "skiff", "state.db") {
				t.Errorf("database path %q", c.DatabasePath())
			}
		})
	}
}
