package local

import (
	"context"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/version"
	"github.com/skiffcontainers/skiff/rootless"
)

type system struct {
	rt *libpod.Runtime
}

func (e *system) Info(ctx context.Context) (*engine.Info, error) {
	info, err := e.rt.HostInfo(ctx)
	if err != nil {
		return nil, err
	}
	if pid, err := rootless.PausePID(); err == nil {
		info.Host.PausePID = pid
	}
	if dir, err := rootless.RuntimeDir(); err == nil {
		info.Host.RuntimeDir = dir
	}
	info.Version = version.Get()
	return info, nil
}

func (e *system) Version(ctx context.Context) (*engine.Version, error) {
	v := version.Get()
	return &v, nil
}
