package state

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestContainerNetworks(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a := record(testID("a"), "a", time.Unix(1700000000, 0))
	a.Networks = map[string]json.RawMessage{"front": json.RawMessage(`{"aliases":["web"]}`), "back": nil}
	if err := db.AddContainer(ctx, a); err != nil {
		t.Fatalf("AddContainer: %v", err)
	}
	b := record(testID("b"), "b", time.Unix(1700000001, 0))
	if err := db.AddContainer(ctx, b); err != nil {
		t.Fatalf("AddContainer: %v", err)
	}
	steps := []struct {
		name    string
		do      func() error
		wantErr error
	}{
		{"connect b to front", func() error { return db.ConnectNetwork(ctx, b.ID, "front", json.RawMessage(`{}`)) }, nil},
		{"connect b to front again", func() error { return db.ConnectNetwork(ctx, b.ID, "front", nil) }, ErrAlreadyConnected},
		{"connect a missing container", func() error { return db.ConnectNetwork(ctx, testID("x"), "front", nil) }, errdefs.ErrNoSuchContainer},
		{"connect with bad options", func() error { return db.ConnectNetwork(ctx, b.ID, "side", json.RawMessage(`{`)) }, errdefs.ErrInvalidArg},
		{"disconnect a from back", func() error { return db.DisconnectNetwork(ctx, a.ID, "back") }, nil},
		{"disconnect a from back again", func() error { return db.DisconnectNetwork(ctx, a.ID, "back") }, ErrNotConnected},
	}
	for _, s := range steps {
		if err := s.do(); !errors.Is(err, s.wantErr) || (s.wantErr == nil && err != nil) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
	}
	nets, err := db.ContainerNetworks(ctx, a.ID)
	if err != nil || len(nets) != 1 || string(nets["front"]) != `{"aliases":["web"]}` {
		t.Fatalf("ContainerNetworks(a) = %v, %v; want front with its aliases", nets, err)
	}
	members, err := db.NetworkMembers(ctx, "front")
	if err != nil || len(members) != 2 {
		t.Fatalf("NetworkMembers(front) = %v, %v; want a and b", members, err)
	}
	if err := db.RemoveContainer(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	members, err = db.NetworkMembers(ctx)
	if err != nil || len(members) != 1 || members[0].ContainerID != b.ID {
		t.Fatalf("NetworkMembers after removing a = %v, %v; want only b's", members, err)
	}
}

// TestAddContainerNetworksAtomic: a container whose networks cannot be
// recorded is not added either.
func TestAddContainerNetworksAtomic(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a := record(testID("a"), "a", time.Unix(1700000000, 0))
	a.Networks = map[string]json.RawMessage{"": nil}
	if err := db.AddContainer(ctx, a); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Fatalf("AddContainer with an empty network name: err = %v, want invalid", err)
	}
	if _, err := db.Container(ctx, a.ID); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Fatalf("container was added although its networks were not: %v", err)
	}
}
