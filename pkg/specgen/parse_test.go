package specgen

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseVolume(t *testing.T) {
	cases := []struct {
		in      string
		want    Mount
		wantErr bool
	}{
		{in: "/src:/dst", want: Mount{Source: "/src", Destination: "/dst"}},
		{in: "/src/:/dst/../x/", want: Mount{Source: "/src", Destination: "/x"}},
		{in: "/src:/dst:ro", want: Mount{Source: "/src", Destination: "/dst", ReadOnly: true}},
		{in: "/src:/dst:rw", want: Mount{Source: "/src", Destination: "/dst"}},
		{in: "/src:/dst:ro,z", want: Mount{Source: "/src", Destination: "/dst", ReadOnly: true, Options: []string{"z"}}},
		{in: "/src:/dst:Z,rslave,noexec", want: Mount{Source: "/src", Destination: "/dst", Options: []string{"Z", "rslave", "noexec"}}},
		{in: "/src:/dst:nocopy,bind", want: Mount{Source: "/src", Destination: "/dst", Options: []string{"nocopy", "bind"}}},
		{in: "", wantErr: true},
		{in: "/dst", wantErr: true},
		{in: "named:/dst", wantErr: true},
		{in: "./rel:/dst", wantErr: true},
		{in: "/src:dst", wantErr: true},
		{in: "/src:", wantErr: true},
		{in: ":/dst", wantErr: true},
		{in: "/src:/dst:", wantErr: true},
		{in: "/src:/dst:ro,rw", wantErr: true},
		{in: "/src:/dst:z,Z", wantErr: true},
		{in: "/src:/dst:shared,private", wantErr: true},
		{in: "/src:/dst:bogus", wantErr: true},
		{in: "/src:/dst:ro:extra", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseVolume(tc.in)
			if tc.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("ParseVolume(%q) error = %v, want ErrInvalidArg", tc.in, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseVolume(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseEnvFile(t *testing.T) {
	t.Setenv("SPECGEN_FROM_ENV", "env value")
	os.Unsetenv("SPECGEN_UNSET")
	cases := []struct {
		name    string
		content string
		want    []string
		wantErr bool
	}{
		{name: "simple", content: "A=1\nB=two words\n", want: []string{"A=1", "B=two words"}},
		{name: "comments and blanks", content: "# comment\n\n   \nA=1\n  # indented comment\n", want: []string{"A=1"}},
		{name: "leading whitespace trimmed", content: "   A=1\n\tB=2", want: []string{"A=1", "B=2"}},
		{name: "value verbatim", content: "A= spaced  \nB=\"quoted\"\nC=x=y\n", want: []string{"A= spaced  ", `B="quoted"`, "C=x=y"}},
		{name: "empty value", content: "A=\n", want: []string{"A="}},
		{name: "from environment", content: "SPECGEN_FROM_ENV\n", want: []string{"SPECGEN_FROM_ENV=env value"}},
		{name: "unset dropped", content: "SPECGEN_UNSET\nA=1\n", want: []string{"A=1"}},
		{name: "bom", content: "\xEF\xBB\xBFA=1\n", want: []string{"A=1"}},
		{name: "crlf", content: "A=1\r\n", want: []string{"A=1"}},
		{name: "no name", content: "=value\n", wantErr: true},
		{name: "space in name", content: "A B=1\n", wantErr: true},
		{name: "invalid utf8", content: "A=\xff\n", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "env")
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ParseEnvFile(path)
			if tc.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("error = %v, want ErrInvalidArg", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := ParseEnvFile(filepath.Join(t.TempDir(), "nope"))
		if !errors.Is(err, errdefs.ErrInvalidArg) || !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("error = %v, want ErrInvalidArg and ErrNotExist", err)
		}
	})
}

func TestParseSignal(t *testing.T) {
	cases := []struct {
		in      string
		want    syscall.Signal
		wantErr bool
	}{
		{in: "TERM", want: syscall.SIGTERM},
		{in: "SIGTERM", want: syscall.SIGTERM},
		{in: "sigkill", want: syscall.SIGKILL},
		{in: "kill", want: syscall.SIGKILL},
		{in: "15", want: syscall.SIGTERM},
		{in: "9", want: syscall.SIGKILL},
		{in: "HUP", want: syscall.SIGHUP},
		{in: "SIGWINCH", want: syscall.SIGWINCH},
		{in: "IOT", want: syscall.SIGABRT},
		{in: "SIGCLD", want: syscall.SIGCHLD},
		{in: "RTMIN", want: 34},
		{in: "SIGRTMIN+3", want: 37},
		{in: "RTMAX", want: 64},
		{in: "RTMAX-2", want: 62},
		{in: "64", want: 64},
		{in: "", wantErr: true},
		{in: "0", wantErr: true},
		{in: "65", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "SIGNOPE", wantErr: true},
		{in: "RTMIN+31", wantErr: true},
		{in: "RTMIN-1", wantErr: true},
		{in: "RTMAX+1", wantErr: true},
		{in: "SIG", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSignal(tc.in)
			if tc.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("ParseSignal(%q) = %v, %v; want ErrInvalidArg", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseSignal(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}
