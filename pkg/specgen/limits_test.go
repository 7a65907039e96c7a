package specgen

import (
	"errors"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestSizeLimits(t *testing.T) {
	dir := t.TempDir()
	kib := strings.Repeat("v", 1024)
	manyLabels := func(n, size int) map[string]string {
		m := make(map[string]string, n)
		for i := range n {
			m[strings.Repeat("k", 8)+string(rune('a'+i%26))+strings.Repeat("x", i/26)] = strings.Repeat("v", size)
		}
		return m
	}
	cases := []struct {
		name    string
		mutate  func(s *SpecGenerator)
		wantErr string // the whole message; empty means valid
	}{
		{name: "label at the limit", mutate: func(s *SpecGenerator) { s.Labels = map[string]string{"k": strings.Repeat("v", MaxLabelSize-1)} }},
		{name: "label over the limit", mutate: func(s *SpecGenerator) { s.Labels = map[string]string{"x": strings.Repeat("v", 5000)} },
			wantErr: `label "x": 5001 bytes exceeds the limit of 4096 bytes for a label: invalid argument`},
		{name: "huge label key is cut in the message", mutate: func(s *SpecGenerator) { s.Labels = map[string]string{strings.Repeat("é", 50000): ""} },
			wantErr: `label "` + strings.Repeat("é", 64) + `"…: 100000 bytes exceeds the limit of 4096 bytes for a label: invalid argument`},
		{name: "labels at the limit", mutate: func(s *SpecGenerator) { s.Labels = manyLabels(64, 4000) }},
		{name: "labels over the limit", mutate: func(s *SpecGenerator) { s.Labels = manyLabels(100, 4000) },
			wantErr: "labels: 401044 bytes exceeds the limit of 262144 bytes for all labels of a container: invalid argument"},
		{name: "env entry over the limit", mutate: func(s *SpecGenerator) { s.Env = []string{"BIG=" + strings.Repeat(kib, 128)} },
			wantErr: `environment variable "BIG": 131076 bytes exceeds the limit of 131072 bytes for an environment variable: invalid argument`},
		{name: "command argument over the limit", mutate: func(s *SpecGenerator) { s.Command = []string{"echo", strings.Repeat(kib, 129)} },
			wantErr: `command argument 2 "` + strings.Repeat("v", 128) + `"…: 132096 bytes exceeds the limit of 131072 bytes for an argument: invalid argument`},
		{name: "entrypoint argument over the limit", mutate: func(s *SpecGenerator) { s.Entrypoint = []string{strings.Repeat(kib, 129)} },
			wantErr: `entrypoint argument 1 "`},
		{name: "env and command at the limit", mutate: func(s *SpecGenerator) {
			s.Env = []string{"A=" + strings.Repeat(kib, 127)[2:], "B=" + strings.Repeat(kib, 127)[2:]}
			s.Command = []string{strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127)}
			s.Entrypoint = []string{strings.Repeat(kib, 1024-8*127)}
		}},
		{name: "env and command over the limit", mutate: func(s *SpecGenerator) {
			s.Env = []string{"A=" + strings.Repeat(kib, 127)[2:]}
			s.Command = []string{strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127),
				strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127), strings.Repeat(kib, 127), "x"}
		}, wantErr: "environment and arguments: 1170433 bytes exceeds the limit of 1048576 bytes for the environment and arguments together: invalid argument"},
		{name: "long name", mutate: func(s *SpecGenerator) { s.Name = strings.Repeat("n", 5000) },
			wantErr: "name: 5000 bytes exceeds the limit of 4096 bytes for a name: invalid argument"},
		{name: "long image", mutate: func(s *SpecGenerator) { s.Image = strings.Repeat("i", 5000) },
			wantErr: "image: 5000 bytes exceeds the limit of 4096 bytes for an image reference: invalid argument"},
		{name: "long workdir", mutate: func(s *SpecGenerator) { s.WorkDir = "/" + strings.Repeat("w", 5000) },
			wantErr: "working directory: 5001 bytes exceeds the limit of 4096 bytes for a path: invalid argument"},
		{name: "long user", mutate: func(s *SpecGenerator) { s.User = strings.Repeat("u", 5000) },
			wantErr: "user: 5000 bytes exceeds the limit of 4096 bytes for a user: invalid argument"},
		{name: "long hostname is cut in the message", mutate: func(s *SpecGenerator) { s.Hostname = strings.Repeat("h", 1<<20) },
			wantErr: `invalid hostname "` + strings.Repeat("h", 128) + `"…: longer than 64 characters: invalid argument`},
		{name: "long mount destination", mutate: func(s *SpecGenerator) {
			s.Mounts = []Mount{{Source: dir, Destination: "/" + strings.Repeat("d", 5000)}}
		},
			wantErr: `mount "/` + strings.Repeat("d", 127) + `"…: 5001 bytes exceeds the limit of 4096 bytes for a mount path or option: invalid argument`},
		{name: "mounts over the limit", mutate: func(s *SpecGenerator) {
			for i := range 70 {
				s.Mounts = append(s.Mounts, Mount{Source: dir, Destination: "/" + strings.Repeat("d", 4000) + string(rune('a'+i%26)) + strings.Repeat("x", i/26)})
			}
		}, wantErr: "mounts: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := SpecGenerator{Image: "busybox"}
			tc.mutate(&s)
			err := s.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %.200v, want nil", err)
				}
				return
			}
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Fatalf("Validate() = %.200v, want ErrInvalidArg", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.wantErr) || len(msg) > 400 || strings.Contains(msg, "\n") {
				t.Errorf("Validate() = %q, want one short line starting %q", msg, tc.wantErr)
			}
		})
	}
}

func TestValidateProcess(t *testing.T) {
	if err := ValidateProcess([]string{"A=1"}, []string{"sh", "-c", "true"}); err != nil {
		t.Fatal(err)
	}
	err := ValidateProcess([]string{"A=" + strings.Repeat("x", MaxArgSize)}, []string{"sh"})
	if !errors.Is(err, errdefs.ErrInvalidArg) || !strings.HasPrefix(err.Error(), `environment variable "A": 131074 bytes exceeds the limit of 131072 bytes`) {
		t.Fatalf("ValidateProcess = %v", err)
	}
}
