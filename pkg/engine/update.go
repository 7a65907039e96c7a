package engine

import "github.com/skiffcontainers/skiff/pkg/specgen"

// UpdateOptions are new resource limits for a container (`update`, Docker's
// POST /containers/{id}/update): the non-zero fields replace the
// container's, the others stay.
type UpdateOptions struct {
	Resources specgen.ResourceConfig `json:"resources"`
}
