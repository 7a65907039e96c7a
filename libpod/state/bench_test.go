package state

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestConnectionSettings(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	want := map[string]string{
		"journal_mode": "wal",
		"foreign_keys": "1",
		"synchronous":  "1", // NORMAL
		"busy_timeout": fmt.Sprint(busyTimeoutMS),
		"auto_vacuum":  "1", // FULL
	}
	for pragma, w := range want {
		var got string
		if err := db.sql.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil || got != w {
			t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, w)
		}
	}
}

// seed adds n containers named c0..c(n-1).
func seed(tb testing.TB, db *DB, n int) {
	tb.Helper()
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("c%d", i)
		if err := db.AddContainer(context.Background(), record(testID(name), name, time.Unix(int64(i), 0))); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkOpenLookup measures what every CLI command pays: open an
// existing, current database, resolve one container, close. No other
// connection stays open, as when skiff runs alone, so each close is the
// last one and pays for SQLite's WAL checkpoint and clean-up.
func BenchmarkOpenLookup(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	seed(b, db, 100)
	path := db.Path()
	db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.LookupContainer(ctx, "c42"); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkLookup measures resolving a name on an already open database.
func BenchmarkLookup(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	seed(b, db, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.LookupContainer(ctx, "c42"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListContainers measures `ps` with 100 containers.
func BenchmarkListContainers(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	seed(b, db, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if list, err := db.ListContainers(ctx); err != nil || len(list) != 100 {
			b.Fatal(len(list), err)
		}
	}
}

// BenchmarkAddRemove measures one create plus one rm (two write commits).
func BenchmarkAddRemove(b *testing.B) {
	ctx := context.Background()
	db := openTest(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		name := fmt.Sprintf("c%d", i)
		rec := record(testID(name), name, time.Now())
		if err := db.AddContainer(ctx, rec); err != nil {
			b.Fatal(err)
		}
		if err := db.RemoveContainer(ctx, rec.ID); err != nil {
			b.Fatal(err)
		}
	}
}
