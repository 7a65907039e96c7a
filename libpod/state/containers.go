package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ContainerRecord is one container as stored. Config is the caller's
// creation-time configuration, changed only by UpdateContainerConfig (new
// resource limits, `update`); State is
// the mutable part. Both are opaque JSON to this package.
type ContainerRecord struct {
	ID      string
	Name    string
	ImageID string
	Created time.Time
	Config  json.RawMessage
	State   json.RawMessage
	// Networks are the networks the container joins when it is added
	// (name to attachment options); AddContainer records them in the same
	// transaction. Reads leave it nil: see ContainerNetworks.
	Networks map[string]json.RawMessage
	// Volumes are the volumes the container uses; AddContainer creates
	// those that do not exist yet and records the uses in the same
	// transaction. Reads leave it nil: see ContainerVolumes.
	Volumes []VolumeRecord
}

const containerCols = `id, name, created, image_id, config, state`

// AddContainer stores a new container. A taken name or ID yields an error
// wrapping errdefs.ErrNameInUse that names the current holder.
func (db *DB) AddContainer(ctx context.Context, rec ContainerRecord) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.AddContainer(ctx, rec) })
}

// LookupContainer finds a container by exact ID, then exact name, then a
// unique ID prefix, in that order.
func (db *DB) LookupContainer(ctx context.Context, nameOrID string) (ContainerRecord, error) {
	return db.auto().LookupContainer(ctx, nameOrID)
}

// Container returns the container with exactly this ID.
func (db *DB) Container(ctx context.Context, id string) (ContainerRecord, error) {
	return db.auto().Container(ctx, id)
}

// ListContainers returns all containers, newest first, in one query.
func (db *DB) ListContainers(ctx context.Context) ([]ContainerRecord, error) {
	return db.auto().ListContainers(ctx)
}

// UpdateContainerState replaces a container's state unconditionally.
func (db *DB) UpdateContainerState(ctx context.Context, id string, st json.RawMessage) error {
	return db.auto().UpdateContainerState(ctx, id, st)
}

// CompareAndSwapContainerState replaces a container's state with next only
// if it is still byte-for-byte equal to old, and reports whether it did.
// It lets a caller do slow work between reading and writing without holding
// the write lock; on false, re-read and retry or give up.
func (db *DB) CompareAndSwapContainerState(ctx context.Context, id string, old, next json.RawMessage) (bool, error) {
	return db.auto().CompareAndSwapContainerState(ctx, id, old, next)
}

// ModifyContainerState reads a container's state, passes it to fn and stores
// what fn returns, all in one write transaction. fn must be quick: the write
// lock is held while it runs. If fn fails nothing is written.
func (db *DB) ModifyContainerState(ctx context.Context, id string, fn func(st json.RawMessage) (json.RawMessage, error)) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		rec, err := tx.Container(ctx, id)
		if err != nil {
			return err
		}
		next, err := fn(rec.State)
		if err != nil {
			return err
		}
		return tx.UpdateContainerState(ctx, id, next)
	})
}

// RenameContainer gives a container a new name.
func (db *DB) RenameContainer(ctx context.Context, id, newName string) error {
	return db.WithTx(ctx, func(tx *Tx) error { return tx.RenameContainer(ctx, id, newName) })
}

// RemoveContainer deletes a container and, by cascade, its exec sessions.
func (db *DB) RemoveContainer(ctx context.Context, id string) error {
	return db.auto().RemoveContainer(ctx, id)
}

// AddContainer stores a new container; see DB.AddContainer.
func (tx *Tx) AddContainer(ctx context.Context, rec ContainerRecord) error {
	if err := validateRecord(rec); err != nil {
		return err
	}
	if err := tx.checkFree(ctx, rec.ID, rec.Name); err != nil {
		return err
	}
	_, err := tx.q.ExecContext(ctx,
		`INSERT INTO containers (`+containerCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		rec.ID, rec.Name, rec.Created.UnixNano(), rec.ImageID, jsonText(rec.Config), jsonText(rec.State))
	if isUniqueViolation(err) {
		// Only reachable outside an explicit transaction (a racing writer).
		return fmt.Errorf("the container name %q or ID %s is already in use: %w", rec.Name, rec.ID, errdefs.ErrNameInUse)
	}
	if err != nil {
		return fmt.Errorf("adding container %s: %w", rec.ID, err)
	}
	if err := tx.addNetworks(ctx, rec.ID, rec.Networks); err != nil {
		return err
	}
	return tx.addVolumeUses(ctx, rec.ID, rec.Volumes)
}

// checkFree fails with ErrNameInUse if id or name belongs to a container.
func (tx *Tx) checkFree(ctx context.Context, id, name string) error {
	var hid, hname string
	err := tx.q.QueryRowContext(ctx,
		`SELECT id, name FROM containers WHERE name = ? OR id = ? LIMIT 1`, name, id).Scan(&hid, &hname)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("checking container name %q: %w", name, err)
	case hname == name:
		return fmt.Errorf("the container name %q is already in use by %s: %w", name, hid, errdefs.ErrNameInUse)
	default:
		return fmt.Errorf("the container ID %s is already in use by container %q: %w", id, hname, errdefs.ErrNameInUse)
	}
}

// LookupContainer resolves nameOrID; see DB.LookupContainer. It is one
// query: rows are ranked exact ID (0), exact name (1), ID prefix (2).
func (tx *Tx) LookupContainer(ctx context.Context, nameOrID string) (ContainerRecord, error) {
	notFound := fmt.Errorf("no container with name or ID %q found: %w", nameOrID, errdefs.ErrNoSuchContainer)
	if nameOrID == "" {
		return ContainerRecord{}, notFound
	}
	// IDs are lowercase hex, so every ID starting with p sorts in
	// [p, p+"g"): a range the primary key index answers. NULL bounds match
	// nothing, so non-hex input skips prefix matching.
	var lo, hi any
	if isHex(nameOrID) {
		lo, hi = nameOrID, nameOrID+"g"
	}
	rows, err := tx.q.QueryContext(ctx, `SELECT `+containerCols+`,
		CASE WHEN id = ?1 THEN 0 WHEN name = ?1 THEN 1 ELSE 2 END AS rank
		FROM containers WHERE id = ?1 OR name = ?1 OR (id >= ?2 AND id < ?3)
		ORDER BY rank LIMIT 2`, nameOrID, lo, hi)
	if err != nil {
		return ContainerRecord{}, fmt.Errorf("looking up container %q: %w", nameOrID, err)
	}
	defer rows.Close()
	var found []ContainerRecord
	var ranks []int
	for rows.Next() {
		var rank int
		rec, err := scanContainer(rows, &rank)
		if err != nil {
			return ContainerRecord{}, fmt.Errorf("looking up container %q: %w", nameOrID, err)
		}
		found, ranks = append(found, rec), append(ranks, rank)
	}
	if err := rows.Err(); err != nil {
		return ContainerRecord{}, fmt.Errorf("looking up container %q: %w", nameOrID, err)
	}
	switch {
	case len(found) == 0:
		return ContainerRecord{}, notFound
	case ranks[0] < 2 || len(found) == 1:
		return found[0], nil
	default:
		return ContainerRecord{}, fmt.Errorf("more than one container matches %q: %w", nameOrID, errdefs.ErrAmbiguous)
	}
}

// Container returns the container with exactly this ID.
func (tx *Tx) Container(ctx context.Context, id string) (ContainerRecord, error) {
	rows, err := tx.q.QueryContext(ctx, `SELECT `+containerCols+` FROM containers WHERE id = ?`, id)
	if err != nil {
		return ContainerRecord{}, fmt.Errorf("reading container %s: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return ContainerRecord{}, fmt.Errorf("reading container %s: %w", id, err)
		}
		return ContainerRecord{}, fmt.Errorf("no container with ID %q found: %w", id, errdefs.ErrNoSuchContainer)
	}
	rec, err := scanContainer(rows)
	if err != nil {
		return ContainerRecord{}, fmt.Errorf("reading container %s: %w", id, err)
	}
	return rec, nil
}

// ListContainers returns all containers, newest first.
func (tx *Tx) ListContainers(ctx context.Context) ([]ContainerRecord, error) {
	rows, err := tx.q.QueryContext(ctx, `SELECT `+containerCols+` FROM containers ORDER BY created DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("listing containers: %w", err)
	}
	defer rows.Close()
	var out []ContainerRecord
	for rows.Next() {
		rec, err := scanContainer(rows)
		if err != nil {
			return nil, fmt.Errorf("listing containers: %w", err)
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing containers: %w", err)
	}
	return out, nil
}

// UpdateContainerState replaces a container's state unconditionally.
func (tx *Tx) UpdateContainerState(ctx context.Context, id string, st json.RawMessage) error {
	if err := validJSON("state", st); err != nil {
		return err
	}
	res, err := tx.q.ExecContext(ctx, `UPDATE containers SET state = ? WHERE id = ?`, jsonText(st), id)
	if err != nil {
		return fmt.Errorf("updating state of container %s: %w", id, err)
	}
	return mustAffect(res, fmt.Errorf("no container with ID %q found: %w", id, errdefs.ErrNoSuchContainer))
}

// CompareAndSwapContainerState; see DB.CompareAndSwapContainerState. A
// missing container is an error, a changed state is (false, nil).
func (tx *Tx) CompareAndSwapContainerState(ctx context.Context, id string, old, next json.RawMessage) (bool, error) {
	if err := validJSON("state", next); err != nil {
		return false, err
	}
	res, err := tx.q.ExecContext(ctx, `UPDATE containers SET state = ? WHERE id = ? AND state = ?`,
		jsonText(next), id, jsonText(old))
	if err != nil {
		return false, fmt.Errorf("updating state of container %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	if _, err := tx.Container(ctx, id); err != nil {
		return false, err
	}
	return false, nil
}

// RenameContainer gives a container a new name; see DB.RenameContainer.
func (tx *Tx) RenameContainer(ctx context.Context, id, newName string) error {
	if newName == "" {
		return fmt.Errorf("renaming container %s: empty name: %w", id, errdefs.ErrInvalidArg)
	}
	cur, err := tx.Container(ctx, id)
	if err != nil {
		return err
	}
	if cur.Name == newName {
		return nil
	}
	if err := tx.checkFree(ctx, "", newName); err != nil {
		return err
	}
	if _, err := tx.q.ExecContext(ctx, `UPDATE containers SET name = ? WHERE id = ?`, newName, id); err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("the container name %q is already in use: %w", newName, errdefs.ErrNameInUse)
		}
		return fmt.Errorf("renaming container %s: %w", id, err)
	}
	return nil
}

// RemoveContainer deletes a container; see DB.RemoveContainer.
func (tx *Tx) RemoveContainer(ctx context.Context, id string) error {
	res, err := tx.q.ExecContext(ctx, `DELETE FROM containers WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("removing container %s: %w", id, err)
	}
	return mustAffect(res, fmt.Errorf("no container with ID %q found: %w", id, errdefs.ErrNoSuchContainer))
}

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

// scanContainer reads containerCols (plus any extra trailing columns).
// JSON columns are scanned as strings so the record owns its bytes.
func scanContainer(s scanner, extra ...any) (ContainerRecord, error) {
	var rec ContainerRecord
	var created int64
	var cfg, st string
	dest := append([]any{&rec.ID, &rec.Name, &created, &rec.ImageID, &cfg, &st}, extra...)
	if err := s.Scan(dest...); err != nil {
		return ContainerRecord{}, err
	}
	rec.Created = time.Unix(0, created)
	rec.Config, rec.State = json.RawMessage(cfg), json.RawMessage(st)
	return rec, nil
}

func mustAffect(res sql.Result, none error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return none
	}
	return nil
}

func validateRecord(rec ContainerRecord) error {
	if len(rec.ID) != 64 || !isHex(rec.ID) {
		return fmt.Errorf("container ID %q is not 64 lowercase hex digits: %w", rec.ID, errdefs.ErrInvalidArg)
	}
	if rec.Name == "" {
		return fmt.Errorf("container %s has no name: %w", rec.ID, errdefs.ErrInvalidArg)
	}
	if err := validJSON("config", rec.Config); err != nil {
		return err
	}
	return validJSON("state", rec.State)
}

func validJSON(what string, m json.RawMessage) error {
	if len(m) > 0 && !json.Valid(m) {
		return fmt.Errorf("container %s is not valid JSON: %w", what, errdefs.ErrInvalidArg)
	}
	return nil
}

// jsonText stores JSON as TEXT (not BLOB) so SQLite's json functions and
// the sqlite3 shell show it readably; empty means JSON null.
func jsonText(m json.RawMessage) string {
	if len(m) == 0 {
		return "null"
	}
	return string(m)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return len(s) > 0
}
