package specgen

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	cases := []struct {
		name    string
		mutate  func(s *SpecGenerator)
		wantErr string // substring of the error; empty means valid
	}{
		{name: "minimal", mutate: func(*SpecGenerator) {}},
		{name: "full", mutate: func(s *SpecGenerator) {
			s.Name = "web_1.a-b"
			s.NetworkMode = "host"
			s.Pull = "newer"
			s.StopSignal = "SIGQUIT"
			s.WorkDir = "/srv"
			s.Hostname = "web"
			s.Env = []string{"A=1", "B=", "C"}
			s.Labels = map[string]string{"a": "b"}
			s.Mounts = []Mount{{Source: dir, Destination: "/a", Options: []string{"z", "rslave"}}, {Source: dir, Destination: "/b", ReadOnly: true}}
		}},
		{name: "network none", mutate: func(s *SpecGenerator) { s.NetworkMode = "none" }},
		{name: "bridge", mutate: func(s *SpecGenerator) { s.NetworkMode = "bridge" }},
		{name: "bad network mode", mutate: func(s *SpecGenerator) { s.NetworkMode = "bad mode" },
			wantErr: `invalid network mode "bad mode": want none, host,`},
		{name: "no image", mutate: func(s *SpecGenerator) { s.Image = " " }, wantErr: "no image given"},
		{name: "bad name", mutate: func(s *SpecGenerator) { s.Name = "-web" }, wantErr: `invalid container name "-web"`},
		{name: "name with slash", mutate: func(s *SpecGenerator) { s.Name = "a/b" }, wantErr: `invalid container name "a/b"`},
		{name: "pull policy", mutate: func(s *SpecGenerator) { s.Pull = "sometimes" }, wantErr: `invalid pull policy "sometimes"`},
		{name: "stop signal", mutate: func(s *SpecGenerator) { s.StopSignal = "SIGFOO" }, wantErr: `invalid signal "SIGFOO"`},
		{name: "relative workdir", mutate: func(s *SpecGenerator) { s.WorkDir = "srv" }, wantErr: `invalid working directory "srv"`},
		{name: "long hostname", mutate: func(s *SpecGenerator) { s.Hostname = strings.Repeat("h", 65) }, wantErr: "invalid hostname"},
		{name: "empty env key", mutate: func(s *SpecGenerator) { s.Env = []string{"=x"} }, wantErr: `invalid environment variable "=x"`},
		{name: "empty env entry", mutate: func(s *SpecGenerator) { s.Env = []string{""} }, wantErr: `invalid environment variable ""`},
		{name: "empty label key", mutate: func(s *SpecGenerator) { s.Labels = map[string]string{"": "x"} }, wantErr: "invalid label"},
		{name: "relative source", mutate: func(s *SpecGenerator) { s.Mounts = []Mount{{Source: "rel", Destination: "/a"}} },
			wantErr: `invalid mount source "rel"`},
		{name: "missing source", mutate: func(s *SpecGenerator) { s.Mounts = []Mount{{Source: missing, Destination: "/a"}} },
			wantErr: `invalid mount source "` + missing + `": no such file or directory: invalid argument`},
		{name: "relative destination", mutate: func(s *SpecGenerator) { s.Mounts = []Mount{{Source: dir, Destination: "a"}} },
			wantErr: `invalid mount destination "a"`},
		{name: "root destination", mutate: func(s *SpecGenerator) { s.Mounts = []Mount{{Source: dir, Destination: "/"}} },
			wantErr: `invalid mount destination "/"`},
		{name: "duplicate destination", mutate: func(s *SpecGenerator) {
			s.Mounts = []Mount{{Source: dir, Destination: "/a"}, {Source: dir, Destination: "/a/"}}
		}, wantErr: `duplicate mount destination "/a"`},
		{name: "bad mount option", mutate: func(s *SpecGenerator) {
			s.Mounts = []Mount{{Source: dir, Destination: "/a", Options: []string{"U"}}}
		}, wantErr: `invalid options for mount "/a": unknown option "U"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := SpecGenerator{Image: "busybox"}
			tc.mutate(&s)
			err := s.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Fatalf("Validate() = %v, want ErrInvalidArg", err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
