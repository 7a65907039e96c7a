package state

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestEvents(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Unix(1700000000, 0)
	evs := []Event{
		{Time: t0, Type: "container", Action: "create", ID: "c1", Name: "web", Attributes: map[string]string{"image": "alpine"}},
		{Time: t0.Add(1 * time.Second), Type: "container", Action: "start", ID: "c1", Name: "web"},
		{Time: t0.Add(2 * time.Second), Type: "image", Action: "pull", ID: "i1", Name: "alpine"},
		{Time: t0.Add(3 * time.Second), Type: "container", Action: "died", ID: "c2", Name: "db"},
	}
	var seqs []int64
	for _, ev := range evs {
		seq, err := db.AddEvent(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	tests := []struct {
		name string
		f    EventFilter
		want []int // indexes into evs
	}{
		{"all", EventFilter{}, []int{0, 1, 2, 3}},
		{"since", EventFilter{Since: t0.Add(time.Second)}, []int{1, 2, 3}},
		{"until", EventFilter{Until: t0.Add(time.Second)}, []int{0, 1}},
		{"since and until", EventFilter{Since: t0.Add(time.Second), Until: t0.Add(2 * time.Second)}, []int{1, 2}},
		{"type", EventFilter{Types: []string{"image"}}, []int{2}},
		{"actions", EventFilter{Actions: []string{"create", "died"}}, []int{0, 3}},
		{"id and type", EventFilter{IDs: []string{"c1"}, Types: []string{"container"}}, []int{0, 1}},
		{"name", EventFilter{Names: []string{"db"}}, []int{3}},
		{"after seq", EventFilter{AfterSeq: seqs[1]}, []int{2, 3}},
		{"limit", EventFilter{Limit: 1}, []int{0}},
		{"nothing", EventFilter{Types: []string{"volume"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Events(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var idx []int
			for _, ev := range got {
				for i, s := range seqs {
					if ev.Seq == s {
						idx = append(idx, i)
						want := evs[i]
						want.Seq = s
						if !ev.Time.Equal(want.Time) || ev.Type != want.Type || ev.Action != want.Action ||
							ev.ID != want.ID || ev.Name != want.Name || !reflect.DeepEqual(ev.Attributes, want.Attributes) {
							t.Fatalf("event %d = %+v, want %+v", i, ev, want)
						}
					}
				}
			}
			if !reflect.DeepEqual(idx, tt.want) {
				t.Fatalf("got events %v, want %v", idx, tt.want)
			}
		})
	}
	n, err := db.PruneEvents(ctx, t0.Add(2*time.Second))
	if err != nil || n != 2 {
		t.Fatalf("PruneEvents = %d, %v; want 2", n, err)
	}
	if got, _ := db.Events(ctx, EventFilter{}); len(got) != 2 {
		t.Fatalf("%d events after prune, want 2", len(got))
	}
}

// TestEventsAreBounded: old events are dropped as new ones come in, so the
// table keeps between keep and keep+eventsPruneEvery of the newest.
func TestEventsAreBounded(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const keep = 10
	var last int64
	for range 3 * eventsPruneEvery {
		seq, err := db.addEvent(ctx, Event{Type: "container", Action: "start", ID: "c1"}, keep)
		if err != nil {
			t.Fatal(err)
		}
		last = seq
	}
	got, err := db.Events(ctx, EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < keep || len(got) >= keep+eventsPruneEvery {
		t.Fatalf("%d events kept, want between %d and %d", len(got), keep, keep+eventsPruneEvery-1)
	}
	if got[len(got)-1].Seq != last {
		t.Fatalf("newest event kept is %d, want %d", got[len(got)-1].Seq, last)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq != got[i-1].Seq+1 {
			t.Fatalf("a gap among the kept events: %d then %d", got[i-1].Seq, got[i].Seq)
		}
	}
}
