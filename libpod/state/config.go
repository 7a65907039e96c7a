package state

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// UpdateContainerConfig replaces a container's configuration. Only
// `update` calls it (new resource limits); everything else in the
// configuration stays what create recorded.
func (db *DB) UpdateContainerConfig(ctx context.Context, id string, cfg json.RawMessage) error {
	if err := validJSON("config", cfg); err != nil {
		return err
	}
	res, err := db.sql.ExecContext(ctx, `UPDATE containers SET config = ? WHERE id = ?`, jsonText(cfg), id)
	if err != nil {
		return fmt.Errorf("updating config of container %s: %w", id, err)
	}
	return mustAffect(res, fmt.Errorf("no container with ID %q found: %w", id, errdefs.ErrNoSuchContainer))
}
