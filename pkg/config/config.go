package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/BurntSushi/toml"
)

// Config is skiff's resolved configuration: defaults, then the config file,
// then command-line overrides.
type Config struct {
	// GraphRoot is containers/storage's persistent root.
	GraphRoot string `toml:"root"`
	// RunRoot is containers/storage's volatile root.
	RunRoot string `toml:"runroot"`
	// StorageDriver is "overlay", "vfs" or "" (detect).
	StorageDriver string `toml:"driver"`
	// StorageOptions are driver options such as overlay.mount_program=…
	StorageOptions []string `toml:"driver_options"`
	// Runtime is "runc", "crun", a path, or "" (detect).
	Runtime string `toml:"runtime"`
	// ConmonPath overrides the conmon lookup.
	ConmonPath string `toml:"conmon_path"`
	// DefaultNetworkMode is the --network of containers created without
	// one; empty picks pasta (else slirp4netns) rootless, bridge as root.
	DefaultNetworkMode string `toml:"default_network_mode"`
	// LogLevel is logrus' level for skiff and conmon.
	LogLevel string `toml:"-"`
	// Rootless is true when the invoking user is not root.
	Rootless bool `toml:"-"`
	// UID is the invoking user's uid.
	UID int `toml:"-"`
	// ConfigFile is the file that was read, if any.
	ConfigFile string `toml:"-"`
	// Home is the invoking user's home directory, where containers/image
	// looks for the user's policy.json.
	Home string `toml:"-"`
}

// file is the on-disk layout of skiff.conf.
type file struct {
	Storage struct {
		Root          string   `toml:"root"`
		RunRoot       string   `toml:"runroot"`
		Driver        string   `toml:"driver"`
		DriverOptions []string `toml:"driver_options"`
	} `toml:"storage"`
	Engine struct {
		Runtime    string `toml:"runtime"`
		ConmonPath string `toml:"conmon_path"`
	} `toml:"engine"`
	Network struct {
		DefaultNetworkMode string `toml:"default_network_mode"`
	} `toml:"network"`
}

// Environment is what Load needs from the process environment, passed in
// so tests and the rootless namespace can supply it.
type Environment struct {
	Rootless bool
	UID      int
	// RuntimeDir is the per-user volatile directory (already created).
	RuntimeDir string
	Getenv     func(string) string
}

// Load resolves the configuration for env, reading skiff.conf when present.
func Load(env Environment) (*Config, error) {
	c := defaults(env)
	path := configPath(env)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, nil
	case err != nil:
		return nil, fmt.Errorf("reading config: %w", err)
	}
	var f file
	if err := toml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parsing config %s: %w", path, err)
	}
	c.ConfigFile = path
	override(&c.GraphRoot, f.Storage.Root)
	override(&c.RunRoot, f.Storage.RunRoot)
	override(&c.StorageDriver, f.Storage.Driver)
	if len(f.Storage.DriverOptions) > 0 {
		c.StorageOptions = f.Storage.DriverOptions
	}
	override(&c.Runtime, f.Engine.Runtime)
	override(&c.ConmonPath, f.Engine.ConmonPath)
	override(&c.DefaultNetworkMode, f.Network.DefaultNetworkMode)
	return c, nil
}

func override(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func defaults(env Environment) *Config {
	c := &Config{Rootless: env.Rootless, UID: env.UID, LogLevel: "warn", Home: home(env)}
	if !env.Rootless {
		c.GraphRoot = "/var/lib/skiff/storage"
		c.RunRoot = "/run/skiff/storage"
		return c
	}
	c.GraphRoot = filepath.Join(dataHome(env), "skiff", "storage")
	c.RunRoot = filepath.Join(env.RuntimeDir, "storage")
	return c
}

func dataHome(env Environment) string {
	if d := env.Getenv("XDG_DATA_HOME"); d != "" {
		return d
	}
	return filepath.Join(home(env), ".local", "share")
}

func home(env Environment) string {
	if h := env.Getenv("HOME"); h != "" {
		return h
	}
	return "/home/" + strconv.Itoa(env.UID)
}

func configPath(env Environment) string {
	if p := env.Getenv("SKIFF_CONFIG"); p != "" {
		return p
	}
	if !env.Rootless {
		return "/etc/skiff/skiff.conf"
	}
	dir := env.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		dir = filepath.Join(home(env), ".config")
	}
	return filepath.Join(dir, "skiff", "skiff.conf")
}

// StaticDir holds skiff's own persistent files (database, logs).
func (c *Config) StaticDir() string { return filepath.Join(c.GraphRoot, "skiff") }

// TmpDir holds skiff's volatile files (bundles, exit files, locks).
func (c *Config) TmpDir() string { return filepath.Join(c.RunRoot, "skiff") }

// Policies locates the policy.json in force: the user's, else the
// system's, else skiff's built-in default, kept in TmpDir.
func (c *Config) Policies() PolicyLocator {
	return PolicyLocator{Home: c.Home, BuiltinPath: filepath.Join(c.TmpDir(), "policy.json")}
}

// DatabasePath is the SQLite state file.
func (c *Config) DatabasePath() string { return filepath.Join(c.StaticDir(), "state.db") }
