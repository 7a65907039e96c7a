package state

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestVolumes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	now := time.Unix(1700000000, 0)
	a := record(testID("a"), "a", now)
	a.Volumes = []VolumeRecord{{Name: "data", Created: now}, {Name: "anon", Created: now, Anonymous: true}}
	steps := []struct {
		name    string
		do      func() error
		wantErr error
	}{
		{"add named", func() error { return db.AddVolume(ctx, VolumeRecord{Name: "data", Created: now}) }, nil},
		{"add named again", func() error { return db.AddVolume(ctx, VolumeRecord{Name: "data", Created: now}) }, errdefs.ErrVolumeExists},
		{"add bad config", func() error {
			return db.AddVolume(ctx, VolumeRecord{Name: "x", Created: now, Config: []byte(`{`)})
		}, errdefs.ErrInvalidArg},
		{"container brings an existing and a new volume", func() error { return db.AddContainer(ctx, a) }, nil},
		{"remove a used volume", func() error { return db.RemoveVolume(ctx, "data") }, errdefs.ErrVolumeInUse},
		{"remove the container", func() error { return db.RemoveContainer(ctx, a.ID) }, nil},
		{"remove the volume no longer used", func() error { return db.RemoveVolume(ctx, "data") }, nil},
		{"remove it again", func() error { return db.RemoveVolume(ctx, "data") }, errdefs.ErrNoSuchVolume},
	}
	for _, s := range steps {
		if err := s.do(); !errors.Is(err, s.wantErr) || (s.wantErr == nil && err != nil) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
		if s.name == "container brings an existing and a new volume" {
			vols, err := db.ContainerVolumes(ctx, a.ID)
			if err != nil || len(vols) != 2 {
				t.Fatalf("ContainerVolumes = %v, %v; want anon and data", vols, err)
			}
			uses, err := db.VolumeUses(ctx, "anon")
			if err != nil || len(uses) != 1 || uses[0].ContainerID != a.ID {
				t.Fatalf("VolumeUses(anon) = %v, %v", uses, err)
			}
		}
	}
	list, err := db.ListVolumes(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "anon" || !list[0].Anonymous {
		t.Fatalf("ListVolumes = %+v, %v; want the anonymous volume only", list, err)
	}
}

// TestAddContainerVolumesAtomic: a container whose volume cannot be
// recorded leaves neither the container nor the volumes it brought.
func TestAddContainerVolumesAtomic(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	a := record(testID("a"), "a", time.Unix(1700000000, 0))
	a.Volumes = []VolumeRecord{{Name: "good"}, {Name: "bad", Config: []byte(`{`)}}
	if err := db.AddContainer(ctx, a); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Fatalf("AddContainer = %v, want invalid argument", err)
	}
	if list, _ := db.ListVolumes(ctx); len(list) != 0 {
		t.Fatalf("volumes left behind: %+v", list)
	}
	if _, err := db.Container(ctx, a.ID); !errors.Is(err, errdefs.ErrNoSuchContainer) {
		t.Fatalf("container left behind: %v", err)
	}
}
