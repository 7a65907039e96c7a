package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fileSize is the size of the database file once every connection is
// closed: the last close checkpoints the WAL into it and deletes the WAL,
// as at the end of every short-lived skiff command.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatalf("%s-wal still there: a connection is open", path)
	}
	return fi.Size()
}

func autoVacuum(t *testing.T, db *DB) int {
	t.Helper()
	var mode int
	if err := db.sql.QueryRowContext(context.Background(), "PRAGMA auto_vacuum").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// fillAndEmpty adds n containers of about size bytes each, closes the
// database, reopens it, removes them all and closes it again, returning the
// file's size when full and when emptied.
func fillAndEmpty(t *testing.T, path string, n, size int) (full, empty int64) {
	t.Helper()
	ctx := context.Background()
	big := json.RawMessage(`{"labels":{"x":"` + strings.Repeat("v", size) + `"}}`)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		rec := record(testID(fmt.Sprint(path, i)), fmt.Sprintf("big%d", i), time.Now())
		rec.Config = big
		if err := db.AddContainer(ctx, rec); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	db.Close()
	full = fileSize(t, path)
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	if mode := autoVacuum(t, db); mode != 1 {
		t.Errorf("auto_vacuum = %d, want 1 (full)", mode)
	}
	for _, id := range ids {
		if err := db.RemoveContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	return full, fileSize(t, path)
}

// TestFileShrinksAfterRemove: removing large records gives their space
// back to the file system.
func TestFileShrinksAfterRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "skiff.db")
	full, empty := fillAndEmpty(t, path, 20, 256<<10)
	if full < 20*256<<10 || empty > full/10 {
		t.Fatalf("file is %d bytes with the records and %d bytes without them; want it to shrink to a tenth", full, empty)
	}
}

// TestUpgradeTurnsAutoVacuumOn: a database made before migration 2 has
// auto_vacuum off; opening it with this skiff vacuums it once and turns it
// on, so that it shrinks from then on.
func TestUpgradeTurnsAutoVacuumOn(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "skiff.db")
	// A version 1 file as skiff wrote it before: no auto_vacuum.
	old, err := sql.Open("sqlite3", path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA journal_mode = WAL", migrations[0],
		"INSERT INTO schema_version (version, applied) VALUES (1, 0)", "PRAGMA user_version = 1"} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	var mode int
	if err := old.QueryRowContext(ctx, "PRAGMA auto_vacuum").Scan(&mode); err != nil || mode != 0 {
		t.Fatalf("old file: auto_vacuum = %d, %v; want 0", mode, err)
	}
	old.Close()

	full, empty := fillAndEmpty(t, path, 20, 256<<10)
	if empty > full/10 {
		t.Fatalf("file is %d bytes with the records and %d bytes without them; want it to shrink to a tenth", full, empty)
	}
	checkVersion(t, path, SchemaVersion(), SchemaVersion())
}
