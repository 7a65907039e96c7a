package libpod

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/libpod/filter"
	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// listFixture is four containers, newest first as Containers returns them.
func listFixture() []*Container {
	started := time.Unix(1700000000, 0)
	mk := func(id, name string, st Status, code int, labels map[string]string) *Container {
		c := &Container{ID: id, Name: name,
			Config: ContainerConfig{Spec: specgen.SpecGenerator{Image: "busybox", Labels: labels},
				ImageName: "localhost/busybox:latest", ImageID: "f558"},
			State: ContainerState{Status: st, ExitCode: code}}
		if st != StatusCreated {
			c.State.StartedAt = started
		}
		return c
	}
	return []*Container{
		mk("d4aa", "delta", StatusCreated, 0, map[string]string{"a": "1"}),
		mk("a3aa", "charlie", StatusPaused, 0, nil),
		mk("b2bb", "bravo", StatusExited, 3, map[string]string{"a": "1", "b": "9"}),
		mk("a1bb", "alpha", StatusRunning, 0, map[string]string{"a": "1", "tier": "front"}),
	}
}

func TestSelectContainers(t *testing.T) {
	tests := []struct {
		name    string
		opts    ListOptions
		want    string // names, comma-separated
		wantErr string
	}{
		{name: "running and paused only", want: "charlie,alpha"},
		{name: "all", opts: ListOptions{All: true}, want: "delta,charlie,bravo,alpha"},
		{name: "a limit lists stopped ones too", opts: ListOptions{Limit: 3}, want: "delta,charlie,bravo"},
		{name: "a filter without all keeps the running rule", opts: ListOptions{Filters: map[string][]string{"label": {"a=1"}}}, want: "alpha"},
		{name: "labels must all match", opts: ListOptions{All: true, Filters: map[string][]string{"label": {"a=1", "b=9"}}}, want: "bravo"},
		{name: "label a=1 and a missing label", opts: ListOptions{All: true, Filters: map[string][]string{"label": {"a=1", "nope"}}}},
		{name: "label presence", opts: ListOptions{All: true, Filters: map[string][]string{"label": {"tier"}}}, want: "alpha"},
		{name: "names are alternatives", opts: ListOptions{All: true, Filters: map[string][]string{"name": {"alpha", "delta"}}}, want: "delta,alpha"},
		{name: "name is a regexp", opts: ListOptions{All: true, Filters: map[string][]string{"name": {"^/?[ab]"}}}, want: "bravo,alpha"},
		{name: "name is a substring", opts: ListOptions{All: true, Filters: map[string][]string{"name": {"arli"}}}, want: "charlie"},
		{name: "id prefix", opts: ListOptions{All: true, Filters: map[string][]string{"id": {"b2"}}}, want: "bravo"},
		{name: "ambiguous id prefix matches none", opts: ListOptions{All: true, Filters: map[string][]string{"id": {"a"}}}},
		{name: "id and name must both match", opts: ListOptions{All: true, Filters: map[string][]string{"id": {"b2"}, "name": {"alpha"}}}},
		{name: "status lists stopped ones without all", opts: ListOptions{Filters: map[string][]string{"status": {"exited", "created"}}}, want: "delta,bravo"},
		{name: "status and label", opts: ListOptions{Filters: map[string][]string{"status": {"running"}, "label": {"a=1"}}}, want: "alpha"},
		{name: "bad status", opts: ListOptions{Filters: map[string][]string{"status": {"bogus"}}}, wantErr: "invalid filter 'status=bogus': invalid value for state (bogus): must be one of created, running, paused, restarting, removing, exited, dead"},
		{name: "exited needs a started container", opts: ListOptions{All: true, Filters: map[string][]string{"exited": {"0", "3"}}}, want: "bravo"},
		{name: "exited without all", opts: ListOptions{Filters: map[string][]string{"exited": {"3"}}}},
		{name: "bad exited", opts: ListOptions{Filters: map[string][]string{"exited": {"x"}}}, wantErr: "invalid filter 'exited=x'"},
		{name: "before", opts: ListOptions{All: true, Filters: map[string][]string{"before": {"charlie"}}}, want: "bravo,alpha"},
		{name: "since", opts: ListOptions{All: true, Filters: map[string][]string{"since": {"b2bb"}}}, want: "delta,charlie"},
		{name: "before a missing container", opts: ListOptions{Filters: map[string][]string{"before": {"nosuch"}}}, wantErr: "No such container: nosuch"},
		{name: "health none is every container", opts: ListOptions{All: true, Filters: map[string][]string{"health": {"none"}}}, want: "delta,charlie,bravo,alpha"},
		{name: "healthy is none", opts: ListOptions{All: true, Filters: map[string][]string{"health": {"healthy"}}}},
		{name: "bad health", opts: ListOptions{Filters: map[string][]string{"health": {"sick"}}}, wantErr: "invalid filter 'health=sick'"},
		{name: "network host", opts: ListOptions{All: true, Filters: map[string][]string{"network": {"host"}}}, want: "delta,charlie,bravo,alpha"},
		{name: "is-task=false", opts: ListOptions{All: true, Filters: map[string][]string{"is-task": {"false"}}}, want: "delta,charlie,bravo,alpha"},
		{name: "is-task=true", opts: ListOptions{All: true, Filters: map[string][]string{"is-task": {"true"}}}},
		{name: "publish matches nothing", opts: ListOptions{All: true, Filters: map[string][]string{"publish": {"80"}}}},
		{name: "bad publish", opts: ListOptions{Filters: map[string][]string{"publish": {"1:80"}}}, wantErr: "filter for 'publish' should not contain ':': 1:80"},
	}
	// A real, empty database: the network filter reads the recorded
	// memberships (none here; the fixture is not stored).
	db, err := state.Open(context.Background(), filepath.Join(t.TempDir(), "skiff.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &Runtime{db: db}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.selectContainers(context.Background(), listFixture(), filter.Args(tt.opts.Filters), tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if !errors.Is(err, errdefs.ErrInvalidArg) && !errors.Is(err, errdefs.ErrNoSuchContainer) {
					t.Errorf("err = %v: want an invalid-argument or not-found class", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range got {
				names = append(names, c.Name)
			}
			if g := strings.Join(names, ","); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}

func TestListUnknownFilter(t *testing.T) {
	_, err := (&Runtime{}).List(context.Background(), ListOptions{Filters: map[string][]string{"color": {"red"}}})
	if err == nil || err.Error() != "invalid filter 'color'" || !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Errorf("err = %v, want invalid filter 'color' as invalid argument", err)
	}
}
