package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/pkg/config"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/rootless"
)

// Options configure the local engine.
type Options struct {
	// Overrides are applied over the loaded configuration.
	GraphRoot, RunRoot, StorageDriver, Runtime, LogLevel string
}

// Engine implements engine.Engine over libpod in this process.
type Engine struct {
	rt *libpod.Runtime
}

var _ engine.Engine = (*Engine)(nil)

// New enters nothing itself (the rootless namespace was joined before Go
// started); it checks that happened, loads the configuration and opens
// the runtime.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if err := rootless.EnsureNamespace(); err != nil {
		return nil, err
	}
	runDir, err := rootless.RuntimeDir()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(config.Environment{
		Rootless: rootless.IsRootless(), UID: rootless.UID(), RuntimeDir: runDir, Getenv: os.Getenv,
	})
	if err != nil {
		return nil, err
	}
	apply(&cfg.GraphRoot, opts.GraphRoot)
	apply(&cfg.RunRoot, opts.RunRoot)
	apply(&cfg.StorageDriver, opts.StorageDriver)
	apply(&cfg.Runtime, opts.Runtime)
	apply(&cfg.LogLevel, opts.LogLevel)
	// conmon and its exit command run in other directories: every path
	// handed to them must be absolute.
	for _, p := range []*string{&cfg.GraphRoot, &cfg.RunRoot} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", *p, err)
		}
		*p = abs
	}
	if err := rootless.ClaimStorage(cfg.StaticDir()); err != nil {
		return nil, err
	}
	rt, err := libpod.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("starting the engine: %w", err)
	}
	return &Engine{rt: rt}, nil
}

func apply(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// Containers returns the container operations.
func (e *Engine) Containers() engine.ContainerEngine { return &containers{rt: e.rt} }

// Images returns the image operations.
func (e *Engine) Images() engine.ImageEngine { return &images{rt: e.rt} }

// Networks returns the network operations.
func (e *Engine) Networks() engine.NetworkEngine { return &networkEngine{rt: e.rt} }
func (e *Engine) Volumes() engine.VolumeEngine   { return &volumeEngine{rt: e.rt} }

// System returns the host-wide operations.
func (e *Engine) System() engine.SystemEngine { return &system{rt: e.rt} }

// Shutdown closes the runtime.
func (e *Engine) Shutdown(ctx context.Context) error { return e.rt.Shutdown(ctx) }
