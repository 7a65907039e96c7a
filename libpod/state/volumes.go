package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"encoding/json"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// VolumeRecord is one volume as stored. Config (driver, options, labels)
// is opaque JSON to this package and never changes after creation.
type VolumeRecord struct {
	Name      string
	Created   time.Time
	Anonymous bool
	Config    json.RawMessage
}

// VolumeUse is one container's use of one volume.
type VolumeUse struct {
	ContainerID string
	Volume      string
}

const volumeCols = `name, created, anonymous, config`

// AddVolume stores a new volume; a taken name fails with
// errdefs.ErrVolumeExists.
func (db *DB) AddVolume(ctx context.Context, rec VolumeRecord) error {
	return db.auto().AddVolume(ctx, rec)
}

// Volume returns the volume of exactly this name, or ErrNoSuchVolume.
func (db *DB) Volume(ctx context.Context, name string) (VolumeRecord, error) {
	return db.auto().Volume(ctx, name)
}

// ListVolumes returns every volume, by name.
func (db *DB) ListVolumes(ctx context.Context) ([]VolumeRecord, error) {
	return db.auto().ListVolumes(ctx)
}

// VolumeUses returns every container's use of a volume, or with volumes
// given only the uses of those, ordered by volume then container.
func (db *DB) VolumeUses(ctx context.Context, volumes ...string) ([]VolumeUse, error) {
	return db.auto().VolumeUses(ctx, volumes...)
}

// ContainerVolumes returns the names of the volumes container id uses.
func (db *DB) ContainerVolumes(ctx context.Context, id string) ([]string, error) {
	return db.auto().ContainerVolumes(ctx, id)
}

// RemoveVolume deletes a volume's row. A volume a container uses is kept
// and the call fails with errdefs.ErrVolumeInUse: SQLite's foreign key
// decides, so a racing container create cannot slip in between.
func (db *DB) RemoveVolume(ctx context.Context, name string) error {
	return db.auto().RemoveVolume(ctx, name)
}

// AddVolume; see DB.AddVolume.
func (tx *Tx) AddVolume(ctx context.Context, rec VolumeRecord) error {
	if rec.Name == "" {
		return fmt.Errorf("adding volume: empty name: %w", errdefs.ErrInvalidArg)
	}
	if err := validJSON("volume config", rec.Config); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx, `INSERT INTO volumes (`+volumeCols+`) VALUES (?, ?, ?, ?)`,
		rec.Name, rec.Created.UnixNano(), rec.Anonymous, jsonText(rec.Config))
	if isUniqueViolation(err) {
		return fmt.Errorf("volume with name %s already exists: %w", rec.Name, errdefs.ErrVolumeExists)
	}
	if err != nil {
		return fmt.Errorf("adding volume %s: %w", rec.Name, err)
	}
	return nil
}

// Volume; see DB.Volume.
func (tx *Tx) Volume(ctx context.Context, name string) (VolumeRecord, error) {
	rec, err := scanVolume(tx.q.QueryRowContext(ctx, `SELECT `+volumeCols+` FROM volumes WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, fmt.Errorf("no volume with name %q found: %w", name, errdefs.ErrNoSuchVolume)
	}
	if err != nil {
		return rec, fmt.Errorf("reading volume %s: %w", name, err)
	}
	return rec, nil
}

// ListVolumes; see DB.ListVolumes.
func (tx *Tx) ListVolumes(ctx context.Context) ([]VolumeRecord, error) {
	rows, err := tx.q.QueryContext(ctx, `SELECT `+volumeCols+` FROM volumes ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("listing volumes: %w", err)
	}
	defer rows.Close()
	var out []VolumeRecord
	for rows.Next() {
		rec, err := scanVolume(rows)
		if err != nil {
			return nil, fmt.Errorf("listing volumes: %w", err)
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing volumes: %w", err)
	}
	return out, nil
}

// VolumeUses; see DB.VolumeUses.
func (tx *Tx) VolumeUses(ctx context.Context, volumes ...string) ([]VolumeUse, error) {
	rows, err := tx.q.QueryContext(ctx, `SELECT container_id, volume FROM container_volumes ORDER BY volume, container_id`)
	if err != nil {
		return nil, fmt.Errorf("listing volume uses: %w", err)
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, v := range volumes {
		want[v] = true
	}
	var out []VolumeUse
	for rows.Next() {
		var u VolumeUse
		if err := rows.Scan(&u.ContainerID, &u.Volume); err != nil {
			return nil, fmt.Errorf("listing volume uses: %w", err)
		}
		if len(want) == 0 || want[u.Volume] {
			out = append(out, u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing volume uses: %w", err)
	}
	return out, nil
}

// ContainerVolumes; see DB.ContainerVolumes.
func (tx *Tx) ContainerVolumes(ctx context.Context, id string) ([]string, error) {
	rows, err := tx.q.QueryContext(ctx, `SELECT volume FROM container_volumes WHERE container_id = ? ORDER BY volume`, id)
	if err != nil {
		return nil, fmt.Errorf("reading volumes of container %s: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("reading volumes of container %s: %w", id, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// RemoveVolume; see DB.RemoveVolume.
func (tx *Tx) RemoveVolume(ctx context.Context, name string) error {
	res, err := tx.q.ExecContext(ctx, `DELETE FROM volumes WHERE name = ?`, name)
	if isForeignKeyViolation(err) {
		return fmt.Errorf("volume %s is being used by a container: %w", name, errdefs.ErrVolumeInUse)
	}
	if err != nil {
		return fmt.Errorf("removing volume %s: %w", name, err)
	}
	return mustAffect(res, fmt.Errorf("no volume with name %q found: %w", name, errdefs.ErrNoSuchVolume))
}

// addVolumeUses creates the volumes a new container brings that do not
// exist yet and records its use of each (AddContainer's part).
func (tx *Tx) addVolumeUses(ctx context.Context, id string, vols []VolumeRecord) error {
	for _, v := range vols {
		if _, err := tx.Volume(ctx, v.Name); errors.Is(err, errdefs.ErrNoSuchVolume) {
			if err := tx.AddVolume(ctx, v); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		_, err := tx.q.ExecContext(ctx, `INSERT OR IGNORE INTO container_volumes (container_id, volume) VALUES (?, ?)`, id, v.Name)
		if err != nil {
			return fmt.Errorf("recording container %s's use of volume %s: %w", id, v.Name, err)
		}
	}
	return nil
}

func scanVolume(s scanner) (VolumeRecord, error) {
	var rec VolumeRecord
	var created int64
	var cfg string
	if err := s.Scan(&rec.Name, &created, &rec.Anonymous, &cfg); err != nil {
		return VolumeRecord{}, err
	}
	rec.Created = time.Unix(0, created)
	rec.Config = json.RawMessage(cfg)
	return rec, nil
}
