package state

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ExecRecord is one exec session of a container; Data is opaque JSON owned
// by the caller. Sessions are deleted with their container.
type ExecRecord struct {
	ID          string
	ContainerID string
	Data        json.RawMessage
}

// AddExecSession stores a new exec session for an existing container.
func (db *DB) AddExecSession(ctx context.Context, rec ExecRecord) error {
	if rec.ID == "" {
		return fmt.Errorf("adding exec session: empty ID: %w", errdefs.ErrInvalidArg)
	}
	if len(rec.Data) > 0 && !json.Valid(rec.Data) {
		return fmt.Errorf("exec session data is not valid JSON: %w", errdefs.ErrInvalidArg)
	}
	_, err := db.sql.ExecContext(ctx, `INSERT INTO exec_sessions (id, container_id, data) VALUES (?, ?, ?)`,
		rec.ID, rec.ContainerID, jsonText(rec.Data))
	switch {
	case isForeignKeyViolation(err):
		return fmt.Errorf("adding exec session %s: no container with ID %q found: %w", rec.ID, rec.ContainerID, errdefs.ErrNoSuchContainer)
	case isUniqueViolation(err):
		return fmt.Errorf("the exec session ID %s is already in use: %w", rec.ID, errdefs.ErrNameInUse)
	case err != nil:
		return fmt.Errorf("adding exec session %s: %w", rec.ID, err)
	}
	return nil
}

// ExecSession returns one exec session by ID.
func (db *DB) ExecSession(ctx context.Context, id string) (ExecRecord, error) {
	rec := ExecRecord{ID: id}
	var data string
	err := db.sql.QueryRowContext(ctx, `SELECT container_id, data FROM exec_sessions WHERE id = ?`, id).
		Scan(&rec.ContainerID, &data)
	if isNoRows(err) {
		return ExecRecord{}, fmt.Errorf("no exec session with ID %q found: %w", id, errdefs.ErrNoSuchExecSession)
	}
	if err != nil {
		return ExecRecord{}, fmt.Errorf("reading exec session %s: %w", id, err)
	}
	rec.Data = json.RawMessage(data)
	return rec, nil
}

// UpdateExecSession replaces an exec session's data.
func (db *DB) UpdateExecSession(ctx context.Context, id string, data json.RawMessage) error {
	if len(data) > 0 && !json.Valid(data) {
		return fmt.Errorf("exec session data is not valid JSON: %w", errdefs.ErrInvalidArg)
	}
	res, err := db.sql.ExecContext(ctx, `UPDATE exec_sessions SET data = ? WHERE id = ?`, jsonText(data), id)
	if err != nil {
		return fmt.Errorf("updating exec session %s: %w", id, err)
	}
	return mustAffect(res, fmt.Errorf("no exec session with ID %q found: %w", id, errdefs.ErrNoSuchExecSession))
}

// RemoveExecSession deletes one exec session.
func (db *DB) RemoveExecSession(ctx context.Context, id string) error {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM exec_sessions WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("removing exec session %s: %w", id, err)
	}
	return mustAffect(res, fmt.Errorf("no exec session with ID %q found: %w", id, errdefs.ErrNoSuchExecSession))
}

// ExecSessions lists a container's exec sessions (none is not an error).
func (db *DB) ExecSessions(ctx context.Context, containerID string) ([]ExecRecord, error) {
	rows, err := db.sql.QueryContext(ctx,
		`SELECT id, data FROM exec_sessions WHERE container_id = ? ORDER BY rowid`, containerID)
	if err != nil {
		return nil, fmt.Errorf("listing exec sessions of %s: %w", containerID, err)
	}
	defer rows.Close()
	var out []ExecRecord
	for rows.Next() {
		rec := ExecRecord{ContainerID: containerID}
		var data string
		if err := rows.Scan(&rec.ID, &data); err != nil {
			return nil, fmt.Errorf("listing exec sessions of %s: %w", containerID, err)
		}
		rec.Data = json.RawMessage(data)
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing exec sessions of %s: %w", containerID, err)
	}
	return out, nil
}
