package filter

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestArgsRoundTrip(t *testing.T) {
	m := map[string][]string{"label": {"a=1", "b"}, "name": {"x"}, "empty": {}}
	got := Map(Args(m))
	if !reflect.DeepEqual(got, map[string][]string{"label": {"a=1", "b"}, "name": {"x"}, "empty": {}}) {
		t.Errorf("Map(Args(m)) = %v", got)
	}
	if Map(Args(nil)) != nil {
		t.Error("no filters must stay nil")
	}
}

func TestValidate(t *testing.T) {
	err := Validate(Args(map[string][]string{"color": {"red"}}), map[string]bool{"label": true})
	if err == nil || err.Error() != "invalid filter 'color'" || !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("err = %v", err)
	}
	if err := Validate(Args(map[string][]string{"label": {"a"}}), map[string]bool{"label": true}); err != nil {
		t.Error(err)
	}
}

func TestPruneLabels(t *testing.T) {
	labels := map[string]string{"a": "1", "b": "2"}
	tests := []struct {
		m    map[string][]string
		want bool
	}{
		{nil, true},
		{map[string][]string{"label": {"a=1"}}, true},
		{map[string][]string{"label": {"a=1", "c"}}, false},
		{map[string][]string{"label!": {"a=1"}}, false},
		{map[string][]string{"label!": {"a=2"}}, true},
		// Docker keeps an object unless it matches every label! filter.
		{map[string][]string{"label!": {"a=1", "c"}}, true},
	}
	for _, tt := range tests {
		if got := PruneLabels(Args(tt.m), labels); got != tt.want {
			t.Errorf("%v: got %v, want %v", tt.m, got, tt.want)
		}
	}
}

func TestPruneUntil(t *testing.T) {
	now := time.Unix(1700000000, 0)
	got, err := PruneUntil(Args(map[string][]string{"until": {"1h"}}), now)
	if err != nil || !got.Equal(now.Add(-time.Hour)) {
		t.Errorf("until=1h: %v, %v", got, err)
	}
	got, err = PruneUntil(Args(map[string][]string{"until": {"1699999999.5"}}), now)
	if err != nil || !got.Equal(time.Unix(1699999999, 500000000)) {
		t.Errorf("until=1699999999.5: %v, %v", got, err)
	}
	if _, err := PruneUntil(Args(map[string][]string{"until": {"1h", "2h"}}), now); err == nil || err.Error() != "more than one until filter specified" {
		t.Errorf("two untils: %v", err)
	}
	if _, err := PruneUntil(Args(map[string][]string{"until": {"soon"}}), now); !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("until=soon: %v", err)
	}
}

func TestEvents(t *testing.T) {
	die := Event{Type: "container", Action: "die", Scope: "local", ActorID: "abc123",
		Attributes: map[string]string{"name": "web", "image": "localhost/busybox:latest", "a": "1", "b": "2"}}
	exec := Event{Type: "container", Action: "exec_start: sh -c true", Scope: "local", ActorID: "abc123",
		Attributes: map[string]string{"name": "web", "image": "localhost/busybox:latest"}}
	tests := []struct {
		m    map[string][]string
		ev   Event
		want bool
	}{
		{nil, die, true},
		{map[string][]string{"event": {"die", "start"}}, die, true},
		{map[string][]string{"event": {"start"}}, die, false},
		{map[string][]string{"event": {"exec_start"}}, exec, true},
		{map[string][]string{"type": {"image"}}, die, false},
		{map[string][]string{"container": {"web"}}, die, true},
		{map[string][]string{"container": {"abc"}}, die, true},
		{map[string][]string{"container": {"db", "web"}}, die, true},
		{map[string][]string{"container": {"db"}}, die, false},
		{map[string][]string{"network": {"net1"}}, die, false},
		{map[string][]string{"image": {"localhost/busybox"}}, die, true},
		{map[string][]string{"image": {"localhost/busybox:latest"}}, die, true},
		{map[string][]string{"image": {"alpine"}}, die, false},
		{map[string][]string{"label": {"a=1", "b=2"}}, die, true},
		{map[string][]string{"label": {"a=1", "b=9"}}, die, false},
		{map[string][]string{"label": {"a=1"}, "event": {"die"}, "container": {"web"}}, die, true},
		{map[string][]string{"label": {"a=1"}, "event": {"start"}}, die, false},
		{map[string][]string{"nonsense": {"x"}}, die, true},
	}
	for _, tt := range tests {
		if got := NewEvents(tt.m).Include(tt.ev); got != tt.want {
			t.Errorf("%v on %s: got %v, want %v", tt.m, tt.ev.Action, got, tt.want)
		}
	}
}
