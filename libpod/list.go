package libpod

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Containers returns every container, newest first, with running ones
// synced from their exit files. One query, one stat per running container:
// listing never calls the OCI runtime.
func (r *Runtime) Containers(ctx context.Context) ([]*Container, error) {
	recs, err := r.db.ListContainers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Container, 0, len(recs))
	for _, rec := range recs {
		c, err := r.decodeContainer(rec)
		if err != nil {
			return nil, err
		}
		if err := r.sync(ctx, c); err != nil {
			if errors.Is(err, errdefs.ErrNoSuchContainer) {
				continue // removed by another skiff since the query
			}
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Lookup resolves a full ID, a unique ID prefix or a name.
func (r *Runtime) Lookup(ctx context.Context, nameOrID string) (*Container, error) {
	c, err := r.lookup(ctx, nameOrID)
	if err != nil {
		return nil, err
	}
	if err := r.sync(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Filter is a compiled ps filter set: within a key any value may match,
// and every key must match, as Docker does.
type Filter struct {
	checks []func(*Container) bool
}

// CompileFilter parses Docker's ps filters.
func CompileFilter(filters map[string][]string) (*Filter, error) {
	f := &Filter{}
	for key, values := range filters {
		check, err := compileKey(key, values)
		if err != nil {
			return nil, err
		}
		f.checks = append(f.checks, check)
	}
	return f, nil
}

// Match reports whether c passes every filter.
func (f *Filter) Match(c *Container) bool {
	for _, check := range f.checks {
		if !check(c) {
			return false
		}
	}
	return true
}

func compileKey(key string, values []string) (func(*Container) bool, error) {
	var preds []func(*Container) bool
	for _, v := range values {
		p, err := compileOne(key, v)
		if err != nil {
			return nil, err
		}
		preds = append(preds, p)
	}
	return func(c *Container) bool {
		for _, p := range preds {
			if p(c) {
				return true
			}
		}
		return false
	}, nil
}

func compileOne(key, v string) (func(*Container) bool, error) {
	switch key {
	case "name":
		return func(c *Container) bool { return strings.Contains(c.Name, strings.TrimPrefix(v, "/")) }, nil
	case "id":
		return func(c *Container) bool { return strings.HasPrefix(c.ID, v) }, nil
	case "label":
		k, val, hasVal := strings.Cut(v, "=")
		return func(c *Container) bool {
			got, ok := c.Config.Spec.Labels[k]
			return ok && (!hasVal || got == val)
		}, nil
	case "status":
		switch v {
		case "created", "running", "paused", "exited", "removing", "restarting", "dead":
		default:
			return nil, fmt.Errorf("invalid filter status=%q: want created, restarting, running, removing, paused, exited or dead: %w", v, errdefs.ErrInvalidArg)
		}
		return func(c *Container) bool { return string(c.State.Status) == v }, nil
	case "ancestor":
		return func(c *Container) bool {
			return c.Config.ImageName == v || c.Config.Spec.Image == v ||
				strings.HasPrefix(c.Config.ImageID, strings.TrimPrefix(v, "sha256:")) ||
				strings.TrimSuffix(c.Config.ImageName, ":latest") == v ||
				strings.TrimPrefix(strings.TrimSuffix(c.Config.ImageName, ":latest"), "localhost/") == v
		}, nil
	case "exited":
		code, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("invalid filter exited=%q: not a number: %w", v, errdefs.ErrInvalidArg)
		}
		return func(c *Container) bool { return c.State.Status == StatusExited && c.State.ExitCode == code }, nil
	}
	return nil, fmt.Errorf("invalid filter %q: %w", key, errdefs.ErrInvalidArg)
}
