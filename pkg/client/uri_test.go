package client

import (
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		in   string
		want URI
		err  bool
	}{
		{in: "unix:///run/skiff/skiff.sock", want: URI{Scheme: "unix", Path: "/run/skiff/skiff.sock"}},
		{in: "unix:///tmp/a%20b.sock", want: URI{Scheme: "unix", Path: "/tmp/a b.sock"}},
		{in: "unix://run/skiff.sock", err: true}, // two slashes: "run" would be a host
		{in: "unix:/run/skiff.sock", want: URI{Scheme: "unix", Path: "/run/skiff.sock"}},
		{in: "unix:///run/../x.sock", err: true}, // not clean
		{in: "unix://", err: true},
		{in: "unix:///", want: URI{Scheme: "unix", Path: "/"}},
		{in: "unix:///s?x=1", err: true},
		{in: "unix:///s#frag", err: true},
		{in: "unix://user@/s", err: true},
		{in: "tcp://127.0.0.1:2376", want: URI{Scheme: "tcp", Host: "127.0.0.1", Port: 2376}},
		{in: "tcp://example.com:1/", want: URI{Scheme: "tcp", Host: "example.com", Port: 1}},
		{in: "tcp://[::1]:2376", want: URI{Scheme: "tcp", Host: "::1", Port: 2376}},
		{in: "tcp://localhost", err: true},  // port required
		{in: "tcp://localhost:", err: true}, // empty port
		{in: "tcp://:2376", err: true},      // no host
		{in: "tcp://h:0", err: true},
		{in: "tcp://h:65536", err: true},
		{in: "tcp://h:02376", err: true},
		{in: "tcp://h:x", err: true},
		{in: "tcp://u@h:1", err: true},
		{in: "tcp://h:1/path", err: true},
		{in: "ssh://skifftest@127.0.0.1:2222/run/user/1000/skiff/skiff.sock",
			want: URI{Scheme: "ssh", User: "skifftest", Host: "127.0.0.1", Port: 2222, Path: "/run/user/1000/skiff/skiff.sock"}},
		{in: "ssh://host", want: URI{Scheme: "ssh", Host: "host"}},
		{in: "ssh://host/", want: URI{Scheme: "ssh", Host: "host"}},
		{in: "ssh://u@[::1]:22/s", want: URI{Scheme: "ssh", User: "u", Host: "::1", Port: 22, Path: "/s"}},
		{in: "ssh://u:pw@host", err: true},
		{in: "ssh://-oProxyCommand=x/s", err: true}, // would be an ssh option
		{in: "ssh://-u@host", err: true},
		{in: "ssh://u@host/s;reboot", err: true}, // the remote shell sees the path
		{in: "ssh://u@host/a%20b", err: true},
		{in: "ssh://u@host/a/../b", err: true},
		{in: "ssh://h:22:22", err: true},
		{in: "ssh://", err: true},
		{in: "http://h:1", err: true},
		{in: "npipe:////./pipe/docker_engine", err: true},
		{in: "/run/skiff.sock", err: true},
		{in: "", err: true},
		{in: "://x", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseURI(tt.in)
			if tt.err {
				if err == nil {
					t.Fatalf("ParseURI(%q) = %+v, want an error", tt.in, got)
				}
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Errorf("error %v is not ErrInvalidArg", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURI(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseURI(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			again, err := ParseURI(got.String())
			if err != nil || again != got {
				t.Errorf("round trip of %q through %q: %+v, %v", tt.in, got.String(), again, err)
			}
		})
	}
}

func TestSSHArgs(t *testing.T) {
	u := URI{Scheme: "ssh", User: "skifftest", Host: "127.0.0.1", Port: 2222, Path: "/tmp/s.sock"}
	got := sshArgs(u, SSHOptions{Identity: "/k", ExtraArgs: []string{"-o", "StrictHostKeyChecking=no"}, RemoteCommand: "/opt/skiff"})
	want := []string{"-o", "BatchMode=yes", "-T", "-p", "2222", "-i", "/k", "-o", "StrictHostKeyChecking=no",
		"--", "skifftest@127.0.0.1", "/opt/skiff", "system", "dial-stdio", "--url", "unix:///tmp/s.sock"}
	if len(got) != len(want) {
		t.Fatalf("sshArgs = %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("sshArgs = %q, want %q", got, want)
		}
	}
	plain := sshArgs(URI{Scheme: "ssh", Host: "h"}, SSHOptions{})
	if last := plain[len(plain)-4:]; last[0] != "h" || last[1] != "skiff" || last[3] != "dial-stdio" {
		t.Errorf("defaults: %q", plain)
	}
}
