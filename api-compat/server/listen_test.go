package server

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseURI(t *testing.T) {
	long := "unix:///" + strings.Repeat("a", maxSocketPath)
	cases := []struct {
		uri    string
		want   Endpoint
		errHas string
	}{
		{"unix:///run/skiff/skiff.sock", Endpoint{"unix", "/run/skiff/skiff.sock"}, ""},
		{"unix:///tmp//x/../s.sock", Endpoint{"unix", "/tmp/s.sock"}, ""},
		{"unix://", Endpoint{}, "no socket path"},
		{"unix://relative.sock", Endpoint{}, "must be absolute"},
		{long, Endpoint{}, "limited to 107 bytes"},
		{"unix:///a\x00b", Endpoint{}, "NUL"},
		{"tcp://127.0.0.1:2376", Endpoint{"tcp", "127.0.0.1:2376"}, ""},
		{"tcp://[::1]:2376", Endpoint{"tcp", "[::1]:2376"}, ""},
		{"tcp://localhost:0", Endpoint{"tcp", "localhost:0"}, ""},
		{"tcp://:2376", Endpoint{"tcp", ":2376"}, ""},
		{"tcp://host.example.com:2376", Endpoint{"tcp", "host.example.com:2376"}, ""},
		{"tcp://127.0.0.1", Endpoint{}, "want tcp://host:port"},
		{"tcp://127.0.0.1:99999", Endpoint{}, "not a number from 0 to 65535"},
		{"tcp://127.0.0.1:+80", Endpoint{}, "not a number"},
		{"tcp://127.0.0.1:080", Endpoint{}, "not a number"},
		{"tcp://127.0.0.1:2376/path", Endpoint{}, "nothing after the port"},
		{"tcp://user@127.0.0.1:2376", Endpoint{}, "nothing after the port"},
		{"tcp://bad_host:1", Endpoint{}, "neither an IP address nor a host name"},
		{"tcp://[::1:1", Endpoint{}, "want tcp://host:port"},
		{"http://127.0.0.1:80", Endpoint{}, "want unix:///path/to/socket or tcp://host:port"},
		{"/run/skiff.sock", Endpoint{}, "want unix:///path/to/socket"},
		{"", Endpoint{}, "want unix://"},
		{"UNIX:///x", Endpoint{}, "want unix://"},
	}
	for _, c := range cases {
		got, err := ParseURI(c.uri)
		if c.errHas == "" {
			if err != nil || got != c.want {
				t.Errorf("ParseURI(%q) = %+v, %v; want %+v", c.uri, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.errHas) || !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Errorf("ParseURI(%q) = %+v, %v; want an invalid-argument error containing %q", c.uri, got, err, c.errHas)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseURI(%q): error is not one line: %q", c.uri, err)
		}
	}
}

func TestCheckEndpoint(t *testing.T) {
	tlsAll := TLSFiles{Cert: "c", Key: "k", ClientCA: "ca"}
	cases := []struct {
		name   string
		uri    string
		opts   ListenOptions
		errHas string // "" means allowed
	}{
		{"unix", "unix:///tmp/x.sock", ListenOptions{}, ""},
		{"unix with TLS flags", "unix:///tmp/x.sock", ListenOptions{TLS: tlsAll}, "apply to tcp:// only"},
		{"unix with insecure", "unix:///tmp/x.sock", ListenOptions{InsecureTCP: true}, "--insecure-tcp applies to tcp:// only"},
		{"tcp with mutual TLS", "tcp://0.0.0.0:2376", ListenOptions{TLS: tlsAll}, ""},
		{"tcp without anything", "tcp://127.0.0.1:2375", ListenOptions{}, "without TLS"},
		{"tcp without client CA", "tcp://0.0.0.0:2376", ListenOptions{TLS: TLSFiles{Cert: "c", Key: "k"}}, "missing --tls-client-ca"},
		{"tcp with key only", "tcp://0.0.0.0:2376", ListenOptions{TLS: TLSFiles{Key: "k"}}, "missing --tls-cert, --tls-client-ca"},
		{"tls and insecure", "tcp://127.0.0.1:2376", ListenOptions{TLS: tlsAll, InsecureTCP: true}, "contradict"},
		{"insecure loopback v4", "tcp://127.0.0.1:2375", ListenOptions{InsecureTCP: true}, ""},
		{"insecure loopback 127/8", "tcp://127.3.2.1:2375", ListenOptions{InsecureTCP: true}, ""},
		{"insecure loopback v6", "tcp://[::1]:2375", ListenOptions{InsecureTCP: true}, ""},
		{"insecure localhost", "tcp://localhost:2375", ListenOptions{InsecureTCP: true}, ""},
		{"insecure all interfaces", "tcp://:2375", ListenOptions{InsecureTCP: true}, "only on a loopback address"},
		{"insecure 0.0.0.0", "tcp://0.0.0.0:2375", ListenOptions{InsecureTCP: true}, "only on a loopback address"},
		{"insecure LAN", "tcp://192.168.1.2:2375", ListenOptions{InsecureTCP: true}, "only on a loopback address"},
		{"insecure host name", "tcp://myhost:2375", ListenOptions{InsecureTCP: true}, "only on a loopback address"},
		{"insecure v4-mapped", "tcp://[::ffff:10.0.0.1]:2375", ListenOptions{InsecureTCP: true}, "only on a loopback address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep, err := ParseURI(c.uri)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckEndpoint(ep, c.opts)
			if c.errHas == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.errHas) || !errors.Is(err, errdefs.ErrInvalidArg) || errdefs.ExitCode(err) != 125 {
				t.Fatalf("got %v, want an invalid-argument (exit 125) error containing %q", err, c.errHas)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("not one line: %q", err)
			}
		})
	}
}

// FuzzParseURI checks that the parser never panics and that what it accepts
// is well formed.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"unix:///run/skiff/skiff.sock", "unix://", "tcp://127.0.0.1:2376", "tcp://[::1]:0",
		"tcp://:1", "tcp://a.b:65535", "tcp://[fe80::1%eth0]:1", "unix:///../..", "tcp://[::1]]:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		ep, err := ParseURI(uri)
		if err != nil {
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Fatalf("ParseURI(%q): error %v is not invalid-argument", uri, err)
			}
			if strings.ContainsAny(err.Error(), "\n") && !strings.ContainsAny(uri, "\n") {
				t.Fatalf("ParseURI(%q): multi-line error %q", uri, err)
			}
			return
		}
		switch ep.Network {
		case "unix":
			if !filepath.IsAbs(ep.Address) || len(ep.Address) > maxSocketPath || strings.ContainsRune(ep.Address, 0) ||
				filepath.Clean(ep.Address) != ep.Address {
				t.Fatalf("ParseURI(%q) accepted bad socket path %q", uri, ep.Address)
			}
		case "tcp":
			host, port, err := net.SplitHostPort(ep.Address)
			if err != nil || port == "" {
				t.Fatalf("ParseURI(%q) accepted %q: %v", uri, ep.Address, err)
			}
			// Whatever is accepted must parse again to itself.
			again, err := ParseURI(ep.String())
			if err != nil || again != ep {
				t.Fatalf("ParseURI(%q) = %+v does not round-trip: %+v %v", uri, ep, again, err)
			}
			_ = host
			// The loopback rule must not panic on anything accepted.
			_ = CheckEndpoint(ep, ListenOptions{InsecureTCP: true})
		default:
			t.Fatalf("ParseURI(%q): network %q", uri, ep.Network)
		}
	})
}

func TestListenUnix(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.sock")
	ep := Endpoint{"unix", path}

	l, err := Listen(ep, ListenOptions{SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v: %v", fi.Mode(), err)
	}
	if l.Addr().String() != path {
		t.Errorf("Addr() = %s, want %s", l.Addr(), path)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary socket left behind: %v", entries)
	}
	// A live service on the path is refused, and left alone.
	if _, err := Listen(ep, ListenOptions{SocketGID: -1}); err == nil || !strings.Contains(err.Error(), "another service already listens") {
		t.Fatalf("second Listen: %v", err)
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("the first socket no longer answers: %v", err)
	}
	c.Close()
	// Once it is gone, its stale file is replaced.
	l.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("Close unlinked the socket (unlink is the server's job at exit): %v", err)
	}
	l2, err := Listen(ep, ListenOptions{SocketMode: 0o660, SocketGID: 1})
	if err != nil {
		t.Fatalf("over a stale socket: %v", err)
	}
	defer l2.Close()
	fi, _ = os.Lstat(path)
	if fi.Mode().Perm() != 0o660 || fi.Sys().(*syscall.Stat_t).Gid != 1 {
		t.Errorf("mode %v gid %d, want 0660 gid 1", fi.Mode().Perm(), fi.Sys().(*syscall.Stat_t).Gid)
	}
	// unlink removes only the socket we made.
	l2.(*unixListener).unlink()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Errorf("unlink left %s: %v", path, err)
	}
	// A regular file is never replaced.
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(ep, ListenOptions{SocketGID: -1}); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("over a regular file: %v", err)
	}
}

func TestListenTCPInsecure(t *testing.T) {
	l, err := Listen(Endpoint{"tcp", "127.0.0.1:0"}, ListenOptions{InsecureTCP: true})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := Listen(Endpoint{"tcp", "0.0.0.0:0"}, ListenOptions{InsecureTCP: true}); err == nil {
		t.Fatal("plain TCP on all interfaces was allowed")
	}
}

func TestAdopt(t *testing.T) {
	tcpLn := func() net.Listener {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	unixLn := func() net.Listener {
		l, err := net.Listen("unix", filepath.Join(t.TempDir(), "s"))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if ls, err := Adopt([]net.Listener{nil, unixLn()}, ListenOptions{}); err != nil || len(ls) != 1 {
		t.Errorf("unix socket: %v %v", ls, err)
	}
	if _, err := Adopt([]net.Listener{tcpLn()}, ListenOptions{}); err == nil || !strings.Contains(err.Error(), "without TLS") {
		t.Errorf("plain TCP socket adopted: %v", err)
	}
	if ls, err := Adopt([]net.Listener{tcpLn()}, ListenOptions{InsecureTCP: true}); err != nil || len(ls) != 1 {
		t.Errorf("loopback TCP with --insecure-tcp: %v %v", ls, err)
	}
	if _, err := Adopt(nil, ListenOptions{}); err == nil {
		t.Errorf("no sockets adopted without error")
	}
}
