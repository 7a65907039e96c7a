package state

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "skiff.db")
	cur := len(migrations)
	next := append(append([]string{}, migrations...), `ALTER TABLE containers ADD COLUMN pod_id TEXT NOT NULL DEFAULT ''`)
	steps := []struct {
		name        string
		migs        []string
		wantErr     error
		wantVersion int
		wantRows    int
	}{
		{"create", migrations, nil, cur, cur},
		{"reopen is a no-op", migrations, nil, cur, cur},
		{"upgrade applies only the new one", next, nil, cur + 1, cur + 1},
		{"reopen upgraded", next, nil, cur + 1, cur + 1},
		{"older binary refuses", migrations, ErrSchemaTooNew, cur + 1, cur + 1},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			db, err := open(ctx, path, s.migs)
			if !errors.Is(err, s.wantErr) || (s.wantErr == nil && err != nil) {
				t.Fatalf("open err = %v, want %v", err, s.wantErr)
			}
			if err == nil {
				db.Close()
			}
			checkVersion(t, path, s.wantVersion, s.wantRows)
		})
	}
}

func TestMigrationFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "skiff.db")
	bad := append(append([]string{}, migrations...), `CREATE TABLE x (a); THIS IS NOT SQL`)
	if _, err := open(ctx, path, bad); err == nil {
		t.Fatal("open with a broken migration succeeded")
	}
	// Nothing of the failed transaction, including migration 1, remains.
	checkVersion(t, path, 0, -1)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after failed migration: %v", err)
	}
	db.Close()
	checkVersion(t, path, SchemaVersion(), SchemaVersion())
}

// checkVersion opens the file without migrating and checks user_version and
// the number of schema_version rows (-1: the table must not exist).
func checkVersion(t *testing.T, path string, version, rows int) {
	t.Helper()
	ctx := context.Background()
	db := &DB{path: path}
	var err error
	if db.sql, err = sqlOpen(path); err != nil {
		t.Fatal(err)
	}
	defer db.sql.Close()
	v, err := userVersion(ctx, db.sql)
	if err != nil || v != version {
		t.Fatalf("user_version = %d, %v; want %d", v, err, version)
	}
	var n int
	err = db.sql.QueryRowContext(ctx, `SELECT count(*) FROM schema_version`).Scan(&n)
	if rows < 0 {
		if err == nil {
			t.Fatalf("schema_version exists with %d rows, want no table", n)
		}
		return
	}
	if err != nil || n != rows {
		t.Fatalf("schema_version rows = %d, %v; want %d", n, err, rows)
	}
}
