package libpod

import (
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func TestFilter(t *testing.T) {
	web := &Container{ID: "abc123", Name: "web",
		Config: ContainerConfig{Spec: specgen.SpecGenerator{Image: "busybox", Labels: map[string]string{"tier": "front", "x": ""}},
			ImageName: "localhost/busybox:latest", ImageID: "f558"},
		State: ContainerState{Status: StatusRunning}}
	db := &Container{ID: "def456", Name: "db",
		Config: ContainerConfig{Spec: specgen.SpecGenerator{Image: "other"}, ImageName: "localhost/other:latest", ImageID: "9999"},
		State:  ContainerState{Status: StatusExited, ExitCode: 3}}
	tests := []struct {
		filters map[string][]string
		want    []string
		wantErr bool
	}{
		{filters: nil, want: []string{"web", "db"}},
		{filters: map[string][]string{"name": {"we"}}, want: []string{"web"}},
		{filters: map[string][]string{"name": {"web", "db"}}, want: []string{"web", "db"}},
		{filters: map[string][]string{"id": {"def"}}, want: []string{"db"}},
		{filters: map[string][]string{"label": {"tier"}}, want: []string{"web"}},
		{filters: map[string][]string{"label": {"tier=front"}}, want: []string{"web"}},
		{filters: map[string][]string{"label": {"tier=back"}}, want: nil},
		{filters: map[string][]string{"label": {"x="}}, want: []string{"web"}},
		{filters: map[string][]string{"status": {"exited"}}, want: []string{"db"}},
		{filters: map[string][]string{"status": {"bogus"}}, wantErr: true},
		{filters: map[string][]string{"ancestor": {"localhost/busybox"}}, want: []string{"web"}},
		{filters: map[string][]string{"ancestor": {"busybox"}}, want: []string{"web"}},
		{filters: map[string][]string{"exited": {"3"}}, want: []string{"db"}},
		{filters: map[string][]string{"exited": {"x"}}, wantErr: true},
		{filters: map[string][]string{"name": {"web"}, "status": {"exited"}}, want: nil},
		{filters: map[string][]string{"color": {"red"}}, wantErr: true},
	}
	for _, tt := range tests {
		f, err := CompileFilter(tt.filters)
		if tt.wantErr {
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Errorf("%v: err = %v, want invalid argument", tt.filters, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.filters, err)
		}
		var got []string
		for _, c := range []*Container{web, db} {
			if f.Match(c) {
				got = append(got, c.Name)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%v: got %v, want %v", tt.filters, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%v: got %v, want %v", tt.filters, got, tt.want)
			}
		}
	}
}
