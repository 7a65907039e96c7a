package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations are applied in order; migrations[i] brings the schema to
// version i+1. Never edit a released migration: append a new one.
var migrations = []string{
	// 1: the initial schema.
	`
CREATE TABLE schema_version (
	version INTEGER PRIMARY KEY,
	applied INTEGER NOT NULL
);
CREATE TABLE containers (
	id       TEXT PRIMARY KEY NOT NULL,
	name     TEXT NOT NULL UNIQUE,
	created  INTEGER NOT NULL,
	image_id TEXT NOT NULL DEFAULT '',
	config   TEXT NOT NULL,
	state    TEXT NOT NULL
);
CREATE INDEX containers_created ON containers(created);
CREATE INDEX containers_image_id ON containers(image_id);
CREATE TABLE exec_sessions (
	id           TEXT PRIMARY KEY NOT NULL,
	container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
	data         TEXT NOT NULL
);
CREATE INDEX exec_sessions_container_id ON exec_sessions(container_id);
CREATE TABLE events (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	time       INTEGER NOT NULL,
	type       TEXT NOT NULL,
	action     TEXT NOT NULL,
	id         TEXT NOT NULL DEFAULT '',
	name       TEXT NOT NULL DEFAULT '',
	attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_time ON events(time);
`,
	// 2: auto_vacuum=FULL, so that every commit that frees pages (a
	// removed container, dropped events) gives them back and the file
	// shrinks instead of keeping its largest size forever. Nothing changes
	// in the schema: the step marks the version whose files have it. A file
	// takes the setting only through VACUUM, which SQLite refuses inside a
	// transaction, so migrate runs it before the migration transaction.
	`SELECT 1`,
	// 3: the networks each container is on, one row per container and
	// network (by name, which never changes), with the attachment's
	// options (aliases, static addresses) as opaque JSON. A row goes with
	// its container (cascade); connect and disconnect add and delete rows
	// in one statement each, so a killed command leaves either the old or
	// the new membership, never half of one.
	`
CREATE TABLE container_networks (
	container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
	network      TEXT NOT NULL,
	options      TEXT NOT NULL DEFAULT '{}',
	PRIMARY KEY (container_id, network)
);
CREATE INDEX container_networks_network ON container_networks(network);
`,
	// 4: volumes, and which containers use them. A volume's row holds its
	// configuration as opaque JSON; a container's use of a volume is a
	// row that goes with the container (cascade) and keeps the volume
	// (no cascade): removing a volume in use fails inside SQLite, so a
	// racing rm and run can never leave a container on a missing volume.
	`
CREATE TABLE volumes (
	name      TEXT PRIMARY KEY NOT NULL,
	created   INTEGER NOT NULL,
	anonymous INTEGER NOT NULL DEFAULT 0,
	config    TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE container_volumes (
	container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
	volume       TEXT NOT NULL REFERENCES volumes(name),
	PRIMARY KEY (container_id, volume)
);
CREATE INDEX container_volumes_volume ON container_volumes(volume);
`,
}

// autoVacuumVersion is the first schema version with auto_vacuum on.
const autoVacuumVersion = 2

// SchemaVersion is the schema version this binary writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the schema up to len(migs). The common case (already
// current) costs one PRAGMA read and no write lock. PRAGMA user_version
// mirrors the newest row of schema_version because it is cheaper to read.
func (db *DB) migrate(ctx context.Context, migs []string) error {
	latest := len(migs)
	v, err := userVersion(ctx, db.sql)
	if err != nil {
		return err
	}
	if v == latest {
		return nil
	}
	if v > latest {
		return tooNew(v, latest)
	}
	// WAL mode is persistent, so a database at the current version already
	// has it and the hot path above skips this.
	if err := db.ensureWAL(ctx); err != nil {
		return err
	}
	if v < autoVacuumVersion && len(migs) >= autoVacuumVersion {
		if err := db.enableAutoVacuum(ctx); err != nil {
			return err
		}
	}
	return db.withSQLTx(ctx, func(stx *sql.Tx) error {
		// Another process may have migrated while we waited for the lock.
		v, err := userVersion(ctx, stx)
		if err != nil {
			return err
		}
		if v > latest {
			return tooNew(v, latest)
		}
		now := time.Now().UnixNano()
		for i := v; i < latest; i++ {
			if _, err := stx.ExecContext(ctx, migs[i]); err != nil {
				return fmt.Errorf("applying schema migration %d: %w", i+1, err)
			}
			if _, err := stx.ExecContext(ctx,
				`INSERT INTO schema_version (version, applied) VALUES (?, ?)`, i+1, now); err != nil {
				return fmt.Errorf("recording schema migration %d: %w", i+1, err)
			}
		}
		if _, err := stx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", latest)); err != nil {
			return fmt.Errorf("setting schema version: %w", err)
		}
		return nil
	})
}

// ensureWAL switches the database to WAL mode. The switch needs an exclusive
// lock and, unlike other statements, fails at once with SQLITE_BUSY instead
// of waiting when processes race to create the database, so retry it here.
func (db *DB) ensureWAL(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeoutMS * time.Millisecond)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		var mode string
		err := db.sql.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		switch {
		case err == nil && mode == "wal":
			return nil
		case err == nil:
			return fmt.Errorf("switching to WAL mode: journal mode is still %q", mode)
		case !isBusy(err) || time.Now().After(deadline):
			return fmt.Errorf("switching to WAL mode: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// enableAutoVacuum turns auto_vacuum on: the setting takes effect through
// a VACUUM on the same connection (cheap on a new, empty file). Processes
// racing here vacuum one after the other, which is harmless.
func (db *DB) enableAutoVacuum(ctx context.Context) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("turning auto_vacuum on: %w", err)
	}
	defer conn.Close()
	for _, q := range []string{"PRAGMA auto_vacuum = FULL", "VACUUM"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("turning auto_vacuum on: %s: %w", q, err)
		}
	}
	return nil
}

func userVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return v, nil
}

func tooNew(have, want int) error {
	return fmt.Errorf("schema version %d, this skiff knows up to %d (upgrade skiff): %w", have, want, ErrSchemaTooNew)
}
