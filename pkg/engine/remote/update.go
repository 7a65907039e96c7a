package remote

import (
	"context"
	"net/http"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

func (e *containers) Update(ctx context.Context, name string, opts engine.UpdateOptions) error {
	return e.c.Do(ctx, http.MethodPost, path("/containers/", name, "/update"), opts, nil)
}
