package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// busyTimeoutMS is how long a statement waits for another process's lock.
// Writers only ever hold locks for a few milliseconds, so a long wait here
// only matters under heavy contention (many parallel `skiff run -d`), where
// waiting is the right thing to do.
const busyTimeoutMS = 30000

// ErrSchemaTooNew reports a database written by a newer skiff whose schema
// this binary does not understand.
var ErrSchemaTooNew = errors.New("database schema is newer than this skiff supports")

// DB is an open state database. It is safe for concurrent use by multiple
// goroutines; open it once per process.
type DB struct {
	sql  *sql.DB
	path string
}

// Open opens (creating if needed) the state database at path and brings its
// schema up to date. It is cheap when the schema is current: one connection
// set-up and one PRAGMA read.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, migrations)
}

func open(ctx context.Context, path string, migs []string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?") {
		return nil, fmt.Errorf("opening state database %q: bad path: %w", path, errdefs.ErrInvalidArg)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating state directory: %w", err)
	}
	sdb, err := sqlOpen(path)
	if err != nil {
		return nil, fmt.Errorf("opening state database %s: %w", path, err)
	}
	db := &DB{sql: sdb, path: path}
	if err := db.migrate(ctx, migs); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("opening state database %s: %w", path, err)
	}
	return db, nil
}

// sqlOpen returns a connection pool for path. The pool connects lazily.
// (SQLITE_FCNTL_PERSIST_WAL was tried to avoid re-creating the -wal file in
// every short-lived process; it made the last close ~10x slower.)
func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite3", dsn(path)) }

// dsn builds the go-sqlite3 connection string. The path is passed without
// the "file:" prefix so it is used verbatim rather than URI-decoded.
// _txlock=immediate makes every explicit transaction take the write lock up
// front: a deferred transaction that reads and then writes can fail with
// SQLITE_BUSY without waiting when another writer got there first.
// journal_mode is deliberately not set here: switching to WAL does not wait
// on the busy handler, so concurrent first opens would fail "database is
// locked"; migrate sets it once, with retries (see ensureWAL). Neither is
// auto_vacuum (_auto_vacuum): setting it on a file that has it already
// writes the file, a commit on every open; migrate sets it once too.
func dsn(path string) string {
	v := url.Values{}
	v.Set("_busy_timeout", fmt.Sprint(busyTimeoutMS))
	v.Set("_synchronous", "NORMAL")
	v.Set("_foreign_keys", "1")
	v.Set("_txlock", "immediate")
	return path + "?" + v.Encode()
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close releases the database's connections.
func (db *DB) Close() error { return db.sql.Close() }

// Tx is a write transaction handed to a WithTx callback. Its methods mirror
// DB's and see the transaction's own changes.
type Tx struct {
	q querier
}

// querier is what both *sql.DB and *sql.Tx provide.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// WithTx runs fn inside one write transaction (BEGIN IMMEDIATE), committing
// if fn returns nil and rolling back otherwise. The write lock is held for
// fn's whole run, so fn must be short and must not wait on other processes.
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.withSQLTx(ctx, func(stx *sql.Tx) error { return fn(&Tx{q: stx}) })
}

func (db *DB) withSQLTx(ctx context.Context, fn func(stx *sql.Tx) error) (err error) {
	stx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
		}
	}()
	if err := fn(stx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}

// auto returns a Tx whose statements each autocommit; used for operations
// that are a single statement and need no explicit transaction.
func (db *DB) auto() *Tx { return &Tx{q: db.sql} }

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY failure.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique ||
		se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// isBusy reports whether err is SQLITE_BUSY or SQLITE_LOCKED.
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY failure.
func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}
