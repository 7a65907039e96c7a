package libpod

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/containers/storage"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/image"
	"github.com/skiffcontainers/skiff/libpod/network"
	"github.com/skiffcontainers/skiff/libpod/oci"
	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/config"
)

// Runtime is the engine of one skiff process. The database is opened at
// once (every command needs it); containers/storage and the OCI runtime are
// opened on first use, because ps, stop or exec never need storage and
// opening it is the most expensive step of a command.
type Runtime struct {
	cfg *config.Config
	db  *state.DB

	storeOnce sync.Once
	store     storage.Store
	images    *image.Store
	storeErr  error

	ociOnce sync.Once
	oci     *oci.Runtime
	ociErr  error

	netOnce sync.Once
	net     nettypes.ContainerNetwork
	netErr  error

	// exe is the skiff binary conmon runs as the exit command.
	exe string

	execResize execResizers
	// configs caches decoded container configs by ID, with their bytes
	// (update changes them; see decodeContainer).
	configs sync.Map
}

// New opens the runtime for cfg.
func New(ctx context.Context, cfg *config.Config) (*Runtime, error) {
	for _, dir := range []string{cfg.StaticDir(), cfg.TmpDir(), exitDir(cfg), lockDir(cfg)} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating the runtime directories: %w", err)
		}
	}
	db, err := state.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return nil, fmt.Errorf("opening state database: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the skiff binary: %w", err)
	}
	return &Runtime{cfg: cfg, db: db, exe: exe}, nil
}

// Config is the configuration the runtime was opened with.
func (r *Runtime) Config() *config.Config { return r.cfg }

// Shutdown closes the store and the database.
func (r *Runtime) Shutdown(ctx context.Context) error {
	if r.store != nil {
		if _, err := r.store.Shutdown(false); err != nil {
			logrus.Debugf("shutting down storage: %v", err)
		}
	}
	return r.db.Close()
}

// Store opens containers/storage on first use.
func (r *Runtime) Store() (storage.Store, error) {
	r.storeOnce.Do(func() {
		r.store, r.storeErr = openStore(r.cfg)
		if r.storeErr == nil {
			r.images, r.storeErr = image.New(r.store, r.cfg.Policies())
		}
	})
	return r.store, r.storeErr
}

// Images returns the image store, opening storage on first use.
func (r *Runtime) Images() (*image.Store, error) {
	if _, err := r.Store(); err != nil {
		return nil, err
	}
	return r.images, nil
}

// OCI returns the OCI runtime driver, detecting it on first use.
func (r *Runtime) OCI(ctx context.Context) (*oci.Runtime, error) {
	r.ociOnce.Do(func() {
		r.oci, r.ociErr = oci.Detect(ctx, oci.DetectOptions{
			Name:       r.cfg.Runtime,
			ConmonPath: r.cfg.ConmonPath,
			Root:       filepath.Join(r.cfg.TmpDir(), "runtime"),
			LogLevel:   r.cfg.LogLevel,
		})
	})
	return r.oci, r.ociErr
}

// Network returns the netavark network backend, opened on first use: a
// container with --network none, host or pasta never pays for it.
func (r *Runtime) Network() (nettypes.ContainerNetwork, error) {
	r.netOnce.Do(func() {
		if r.cfg.Rootless {
			// libnetwork runs netavark in its rootless network namespace
			// when it sees this (openStore sets it too, on its own path).
			os.Setenv("_CONTAINERS_USERNS_CONFIGURED", "done")
		}
		r.net, r.netErr = network.NewBackend(network.Options{
			ConfigDir: networkConfigDir(r.cfg),
			RunDir:    networkRunDir(r.cfg),
			TmpDir:    r.cfg.TmpDir(),
		})
	})
	return r.net, r.netErr
}

// networkConfigDir holds the network config files, beside the storage
// that outlives reboots.
func networkConfigDir(cfg *config.Config) string { return filepath.Join(cfg.GraphRoot, "networks") }

// rootNetworkRunDir is netavark's volatile state as root, whatever the
// store: the bridges and firewall rules it describes belong to the host,
// so two stores (--root) must share the address allocations of skiff0,
// or both would hand out 10.99.0.2. Rootless, each store's networks live
// in its own rootless network namespace, and its state beside the store.
const rootNetworkRunDir = "/run/skiff/networks"

func networkRunDir(cfg *config.Config) string {
	if cfg.Rootless {
		return filepath.Join(cfg.TmpDir(), "networks")
	}
	return rootNetworkRunDir
}

func exitDir(cfg *config.Config) string { return filepath.Join(cfg.TmpDir(), "exits") }
func lockDir(cfg *config.Config) string { return filepath.Join(cfg.TmpDir(), "locks") }
