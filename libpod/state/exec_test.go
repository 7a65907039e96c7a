package state

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestExecSessions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c := record(testID("c"), "c", time.Now())
	if err := db.AddContainer(ctx, c); err != nil {
		t.Fatal(err)
	}
	adds := []struct {
		name    string
		rec     ExecRecord
		wantErr error
	}{
		{"first", ExecRecord{ID: "e1", ContainerID: c.ID, Data: json.RawMessage(`{"pid":1}`)}, nil},
		{"second", ExecRecord{ID: "e2", ContainerID: c.ID}, nil},
		{"duplicate id", ExecRecord{ID: "e1", ContainerID: c.ID}, errdefs.ErrNameInUse},
		{"missing container", ExecRecord{ID: "e3", ContainerID: testID("none")}, errdefs.ErrNoSuchContainer},
		{"empty id", ExecRecord{ContainerID: c.ID}, errdefs.ErrInvalidArg},
	}
	for _, tt := range adds {
		t.Run(tt.name, func(t *testing.T) {
			err := db.AddExecSession(ctx, tt.rec)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
	if err := db.UpdateExecSession(ctx, "e1", json.RawMessage(`{"pid":2}`)); err != nil {
		t.Fatal(err)
	}
	got, err := db.ExecSession(ctx, "e1")
	if err != nil || got.ContainerID != c.ID || string(got.Data) != `{"pid":2}` {
		t.Fatalf("ExecSession = %+v, %v", got, err)
	}
	list, err := db.ExecSessions(ctx, c.ID)
	if err != nil || len(list) != 2 || list[0].ID != "e1" || list[1].ID != "e2" {
		t.Fatalf("ExecSessions = %+v, %v", list, err)
	}
	if err := db.RemoveExecSession(ctx, "e2"); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		db.RemoveExecSession(ctx, "e2"),
		db.UpdateExecSession(ctx, "e2", nil),
		func() error { _, err := db.ExecSession(ctx, "e2"); return err }(),
	} {
		if !errors.Is(err, errdefs.ErrNoSuchExecSession) {
			t.Fatalf("on removed session: err = %v, want ErrNoSuchExecSession", err)
		}
	}
	// Removing the container cascades to its sessions.
	if err := db.RemoveContainer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecSession(ctx, "e1"); !errors.Is(err, errdefs.ErrNoSuchExecSession) {
		t.Fatalf("session survived its container: %v", err)
	}
}
