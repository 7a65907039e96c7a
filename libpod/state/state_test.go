package state

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// testID returns a deterministic 64-hex container ID.
func testID(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(sum[:])
}

func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "state", "skiff.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func record(id, name string, created time.Time) ContainerRecord {
	return ContainerRecord{
		ID: id, Name: name, ImageID: testID("image"), Created: created,
		Config: json.RawMessage(`{"cmd":["true"]}`), State: json.RawMessage(`{"status":"created"}`),
	}
}

func TestContainerCRUD(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	base := time.Unix(1700000000, 123456789)
	a, b := record(testID("a"), "a", base), record(testID("b"), "b", base.Add(time.Second))
	for _, r := range []ContainerRecord{a, b} {
		if err := db.AddContainer(ctx, r); err != nil {
			t.Fatalf("AddContainer(%s): %v", r.Name, err)
		}
	}
	got, err := db.Container(ctx, a.ID)
	if err != nil {
		t.Fatalf("Container: %v", err)
	}
	if got.ID != a.ID || got.Name != "a" || got.ImageID != a.ImageID || !got.Created.Equal(base) ||
		string(got.Config) != string(a.Config) || string(got.State) != string(a.State) {
		t.Fatalf("Container returned %+v, want %+v", got, a)
	}

	list, err := db.ListContainers(ctx)
	if err != nil {
		t.Fatalf("ListContainers: %v", err)
	}
	if len(list) != 2 || list[0].Name != "b" || list[1].Name != "a" {
		t.Fatalf("ListContainers order = %v, want b, a", names(list))
	}

	if err := db.UpdateContainerState(ctx, a.ID, json.RawMessage(`{"status":"running"}`)); err != nil {
		t.Fatalf("UpdateContainerState: %v", err)
	}
	if got, _ := db.Container(ctx, a.ID); string(got.State) != `{"status":"running"}` {
		t.Fatalf("state after update = %s", got.State)
	}

	if err := db.RemoveContainer(ctx, a.ID); err != nil {
		t.Fatalf("RemoveContainer: %v", err)
	}
	if _, err := db.Container(ctx, a.ID); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Fatalf("Container after remove: err = %v, want ErrNoSuchContainer", err)
	}
}

func names(recs []ContainerRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Name)
	}
	return out
}

func TestMissingContainer(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	id := testID("missing")
	ops := map[string]func() error{
		"Container":            func() error { _, err := db.Container(ctx, id); return err },
		"UpdateContainerState": func() error { return db.UpdateContainerState(ctx, id, json.RawMessage(`{}`)) },
		"RemoveContainer":      func() error { return db.RemoveContainer(ctx, id) },
		"RenameContainer":      func() error { return db.RenameContainer(ctx, id, "x") },
		"CompareAndSwap": func() error {
			_, err := db.CompareAndSwapContainerState(ctx, id, nil, json.RawMessage(`{}`))
			return err
		},
		"ModifyContainerState": func() error {
			return db.ModifyContainerState(ctx, id, func(st json.RawMessage) (json.RawMessage, error) { return st, nil })
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			if err := op(); !errors.Is(err, errdefs.ErrNoSuchContainer) {
				t.Fatalf("err = %v, want ErrNoSuchContainer", err)
			}
		})
	}
}

func TestAddContainerConflicts(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	web := record(testID("web"), "web", time.Now())
	if err := db.AddContainer(ctx, web); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		rec     ContainerRecord
		wantErr error
		wantMsg string
	}{
		{"same name", record(testID("other"), "web", time.Now()), errdefs.ErrNameInUse,
			fmt.Sprintf(`the container name "web" is already in use by %s: name is already in use`, web.ID)},
		{"same id", record(web.ID, "web2", time.Now()), errdefs.ErrNameInUse,
			fmt.Sprintf(`the container ID %s is already in use by container "web"`, web.ID)},
		{"short id", record("abc", "x", time.Now()), errdefs.ErrInvalidArg, "64 lowercase hex"},
		{"empty name", record(testID("x"), "", time.Now()), errdefs.ErrInvalidArg, "has no name"},
		{"bad config", func() ContainerRecord {
			r := record(testID("y"), "y", time.Now())
			r.Config = json.RawMessage(`{`)
			return r
		}(), errdefs.ErrInvalidArg, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.AddContainer(ctx, tt.rec)
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
	if list, _ := db.ListContainers(ctx); len(list) != 1 {
		t.Fatalf("failed adds left %d containers, want 1", len(list))
	}
}

func TestLookupContainer(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	// Hand-made IDs so prefixes are controlled: a1 and a2 share "aaaa".
	a1 := strings.Repeat("a", 63) + "1"
	a2 := strings.Repeat("a", 63) + "2"
	b := "b" + strings.Repeat("0", 63)
	// A container named like a prefix of another's ID: the name wins.
	c := "c" + strings.Repeat("0", 63)
	for _, r := range []ContainerRecord{
		record(a1, "first", time.Now()), record(a2, "second", time.Now()),
		record(b, "web", time.Now()), record(c, "b000", time.Now()),
	} {
		if err := db.AddContainer(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		in      string
		wantID  string
		wantErr error
	}{
		{in: a1, wantID: a1},
		{in: "first", wantID: a1},
		{in: "web", wantID: b},
		{in: "b0", wantID: b},
		{in: "b000", wantID: c},
		{in: "aaaa", wantErr: errdefs.ErrAmbiguous},
		{in: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", wantID: a2},
		{in: "d", wantErr: errdefs.ErrNoSuchContainer},
		{in: "nope", wantErr: errdefs.ErrNoSuchContainer},
		{in: "", wantErr: errdefs.ErrNoSuchContainer},
		{in: "B0", wantErr: errdefs.ErrNoSuchContainer},
		{in: "a*", wantErr: errdefs.ErrNoSuchContainer},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := db.LookupContainer(ctx, tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.ID != tt.wantID {
				t.Fatalf("got %q, %v; want %q", got.ID, err, tt.wantID)
			}
		})
	}
	_, err := db.LookupContainer(ctx, "aaaa")
	if want := `more than one container matches "aaaa": more than one result`; err == nil || err.Error() != want {
		t.Fatalf("ambiguous message = %v, want %q", err, want)
	}
	_, err = db.LookupContainer(ctx, "nope")
	if want := `no container with name or ID "nope" found: no such container`; err == nil || err.Error() != want {
		t.Fatalf("not-found message = %v, want %q", err, want)
	}
}

func TestRenameContainer(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a, b := record(testID("a"), "a", time.Now()), record(testID("b"), "b", time.Now())
	for _, r := range []ContainerRecord{a, b} {
		if err := db.AddContainer(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, id, to string
		wantErr      error
	}{
		{"to taken name", a.ID, "b", errdefs.ErrNameInUse},
		{"to empty", a.ID, "", errdefs.ErrInvalidArg},
		{"to own name", a.ID, "a", nil},
		{"to free name", a.ID, "c", nil},
		{"old name is free again", b.ID, "a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.RenameContainer(ctx, tt.id, tt.to)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				if got, err := db.LookupContainer(ctx, tt.to); err != nil || got.ID != tt.id {
					t.Fatalf("lookup %q after rename = %q, %v", tt.to, got.ID, err)
				}
			}
		})
	}
}

func TestStateReadModifyWrite(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	r := record(testID("rmw"), "rmw", time.Now())
	r.State = json.RawMessage(`{"n":0}`)
	if err := db.AddContainer(ctx, r); err != nil {
		t.Fatal(err)
	}

	// Concurrent increments through ModifyContainerState must not lose any.
	const workers, each = 8, 25
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < each; i++ {
				err := db.ModifyContainerState(ctx, r.ID, func(st json.RawMessage) (json.RawMessage, error) {
					var s struct{ N int }
					if err := json.Unmarshal(st, &s); err != nil {
						return nil, err
					}
					return json.Marshal(map[string]int{"n": s.N + 1})
				})
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errc; err != nil {
			t.Fatalf("ModifyContainerState: %v", err)
		}
	}
	got, _ := db.Container(ctx, r.ID)
	if want := fmt.Sprintf(`{"n":%d}`, workers*each); string(got.State) != want {
		t.Fatalf("state = %s, want %s", got.State, want)
	}

	// A failing callback writes nothing.
	boom := errors.New("boom")
	err := db.ModifyContainerState(ctx, r.ID, func(json.RawMessage) (json.RawMessage, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}

	// Compare-and-swap succeeds only against the current value.
	cur := got.State
	if ok, err := db.CompareAndSwapContainerState(ctx, r.ID, json.RawMessage(`{"n":-1}`), json.RawMessage(`{"n":"x"}`)); ok || err != nil {
		t.Fatalf("CAS with stale old = %v, %v; want false, nil", ok, err)
	}
	if ok, err := db.CompareAndSwapContainerState(ctx, r.ID, cur, json.RawMessage(`{"n":"x"}`)); !ok || err != nil {
		t.Fatalf("CAS with current old = %v, %v; want true, nil", ok, err)
	}
	if got, _ := db.Container(ctx, r.ID); string(got.State) != `{"n":"x"}` {
		t.Fatalf("state after CAS = %s", got.State)
	}
}

func TestWithTxRollsBack(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	boom := errors.New("boom")
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := tx.AddContainer(ctx, record(testID("tx"), "tx", time.Now())); err != nil {
			return err
		}
		if _, err := tx.LookupContainer(ctx, "tx"); err != nil {
			return fmt.Errorf("own write not visible: %w", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx err = %v, want boom", err)
	}
	if _, err := db.LookupContainer(ctx, "tx"); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Fatalf("rolled-back container visible: %v", err)
	}
}
