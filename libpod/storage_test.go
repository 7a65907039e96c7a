package libpod

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckStorageConf(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.conf")
	broken := filepath.Join(dir, "broken.conf")
	if err := os.WriteFile(good, []byte("[storage]\ndriver = \"overlay\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, []byte("[storage]\ndriver = \"overlay\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env string
		want      []string // substrings of the error; none: no error
	}{
		{"a valid file", good, nil},
		{"a broken file names itself and the line", broken, []string{broken, "line 2"}},
		{"a named file that is missing", filepath.Join(dir, "none.conf"), []string{"CONTAINERS_STORAGE_CONF", "none.conf"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CONTAINERS_STORAGE_CONF", tc.env)
			err := checkStorageConf()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
