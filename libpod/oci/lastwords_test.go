package oci

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLastWords(t *testing.T) {
	const fatal = `exec failed: unable to start container process: exec: "/x": stat /x: no such file or directory`
	logged := `{"level":"warning","msg":"a warning"}` + "\n" + `{"level":"error","msg":"` + strings.ReplaceAll(fatal, `"`, `\"`) + `"}` + "\n"
	tests := []struct {
		name   string
		log    string // "" : no log file at all
		chunks []string
		want   string
	}{
		{"nothing logged", "", []string{"out\n", fatal + "\n"}, "out\n" + fatal + "\n"},
		{"the runtime's line", logged, []string{fatal + "\n"}, ""},
		{"the runtime's line through a terminal", logged, []string{fatal + "\r\n"}, ""},
		{"after the process's output in one chunk", logged, []string{"partial\nline\n" + fatal + "\n"}, "partial\nline\n"},
		{"a warning is no failure", logged, []string{"a warning\n"}, "a warning\n"},
		{"an unfinished line passes", logged, []string{fatal}, fatal},
		{"a line that only starts the same passes", logged, []string{fatal + " and more\n"}, fatal + " and more\n"},
		{"empty lines pass", logged, []string{"\n", "\r\n"}, "\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "log")
			if tt.log != "" {
				if err := os.WriteFile(log, []byte(tt.log), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			lw := newLastWords(&out, log)
			for _, c := range tt.chunks {
				if n, err := lw.Write([]byte(c)); n != len(c) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", c, n, err)
				}
			}
			if out.String() != tt.want {
				t.Errorf("passed on %q, want %q", out.String(), tt.want)
			}
		})
	}
}
