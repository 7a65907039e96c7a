package specgen

import (
	"errors"
	"reflect"
	"syscall"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestResolveArgs(t *testing.T) {
	img := ImageConfig{Entrypoint: []string{"/entry"}, Cmd: []string{"serve", "--port=80"}}
	noEntry := ImageConfig{Cmd: []string{"sh"}}
	cases := []struct {
		name       string
		entrypoint []string
		command    []string
		img        ImageConfig
		want       []string
		wantErr    bool
	}{
		{name: "image defaults", img: img, want: []string{"/entry", "serve", "--port=80"}},
		{name: "command replaces cmd", command: []string{"debug"}, img: img, want: []string{"/entry", "debug"}},
		{name: "entrypoint drops image cmd", entrypoint: []string{"/bin/sh"}, img: img, want: []string{"/bin/sh"}},
		{name: "entrypoint and command", entrypoint: []string{"/bin/sh", "-c"}, command: []string{"ls"}, img: img, want: []string{"/bin/sh", "-c", "ls"}},
		{name: "empty entrypoint clears", entrypoint: []string{}, command: []string{"ls"}, img: img, want: []string{"ls"}},
		{name: "entrypoint flag empty string clears", entrypoint: []string{""}, command: []string{"ls", "-l"}, img: img, want: []string{"ls", "-l"}},
		{name: "cleared entrypoint without command", entrypoint: []string{""}, img: img, wantErr: true},
		{name: "image without entrypoint", img: noEntry, want: []string{"sh"}},
		{name: "command without image entrypoint", command: []string{"echo", "hi"}, img: noEntry, want: []string{"echo", "hi"}},
		{name: "nothing at all", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := SpecGenerator{Image: "img", Entrypoint: tc.entrypoint, Command: tc.command}
			got, err := s.ResolveArgs(tc.img)
			if tc.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("ResolveArgs = %q, %v; want ErrInvalidArg", got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ResolveArgs = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestMergeEnv(t *testing.T) {
	cases := []struct {
		name  string
		lists [][]string
		want  []string
	}{
		{name: "empty", want: []string{}},
		{name: "later wins in place", lists: [][]string{{"A=1", "B=2"}, {"A=3", "C=4"}}, want: []string{"A=3", "B=2", "C=4"}},
		{name: "value with equals", lists: [][]string{{"A=x=y"}}, want: []string{"A=x=y"}},
		{name: "empty value kept", lists: [][]string{{"A=1"}, {"A="}}, want: []string{"A="}},
		{name: "bare key removes", lists: [][]string{{"A=1", "B=2"}, {"A"}}, want: []string{"B=2"}},
		{name: "bare key then set again", lists: [][]string{{"A=1"}, {"A", "A=2"}}, want: []string{"A=2"}},
		{name: "bare unknown key ignored", lists: [][]string{{"A=1"}, {"Z"}}, want: []string{"A=1"}},
		{name: "duplicates in one list", lists: [][]string{{"A=1", "A=2"}}, want: []string{"A=2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := MergeEnv(tc.lists...)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MergeEnv = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestResolveEnv(t *testing.T) {
	img := ImageConfig{Env: []string{"PATH=/img/bin", "TERM=vt100", "LANG=C"}}
	cases := []struct {
		name     string
		terminal bool
		env      []string
		want     []string
	}{
		{name: "image overrides defaults", want: []string{"PATH=/img/bin", "HOSTNAME=h", "TERM=vt100", "LANG=C"}},
		{name: "user overrides image", env: []string{"LANG=en_US.UTF-8", "X=1"},
			want: []string{"PATH=/img/bin", "HOSTNAME=h", "TERM=vt100", "LANG=en_US.UTF-8", "X=1"}},
		{name: "user overrides hostname", env: []string{"HOSTNAME=mine"},
			want: []string{"PATH=/img/bin", "HOSTNAME=mine", "TERM=vt100", "LANG=C"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := SpecGenerator{Terminal: tc.terminal, Env: tc.env}
			if got := s.ResolveEnv(img, "h"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ResolveEnv = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("terminal without image env", func(t *testing.T) {
		s := SpecGenerator{Terminal: true}
		want := []string{"PATH=" + DefaultPath, "HOSTNAME=h", "TERM=xterm"}
		if got := s.ResolveEnv(ImageConfig{}, "h"); !reflect.DeepEqual(got, want) {
			t.Errorf("ResolveEnv = %q, want %q", got, want)
		}
	})
}

func TestResolveWorkDir(t *testing.T) {
	cases := []struct{ user, image, want string }{
		{"", "", "/"},
		{"", "/srv", "/srv"},
		{"", "srv", "/srv"},
		{"/tmp", "/srv", "/tmp"},
		{"/tmp/../var/", "", "/var"},
	}
	for _, tc := range cases {
		s := SpecGenerator{WorkDir: tc.user}
		if got := s.ResolveWorkDir(ImageConfig{WorkingDir: tc.image}); got != tc.want {
			t.Errorf("ResolveWorkDir(%q, image %q) = %q, want %q", tc.user, tc.image, got, tc.want)
		}
	}
}

func TestResolveStopSignal(t *testing.T) {
	cases := []struct {
		user, image string
		want        syscall.Signal
	}{
		{"", "", syscall.SIGTERM},
		{"", "SIGQUIT", syscall.SIGQUIT},
		{"9", "SIGQUIT", syscall.SIGKILL},
	}
	for _, tc := range cases {
		s := SpecGenerator{StopSignal: tc.user}
		got, err := s.ResolveStopSignal(ImageConfig{StopSignal: tc.image})
		if err != nil || got != tc.want {
			t.Errorf("ResolveStopSignal(%q, %q) = %v, %v; want %v", tc.user, tc.image, got, err, tc.want)
		}
	}
}

func TestResolveLabels(t *testing.T) {
	s := SpecGenerator{Labels: map[string]string{"a": "user", "c": "user"}}
	got := s.ResolveLabels(ImageConfig{Labels: map[string]string{"a": "image", "b": "image"}})
	want := map[string]string{"a": "user", "b": "image", "c": "user"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ResolveLabels = %v, want %v", got, want)
	}
}
