package client

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// URI is a parsed service address:
//
//	unix:///path/to/socket
//	tcp://host:port
//	ssh://[user@]host[:port][/path/to/remote/socket]
type URI struct {
	Scheme string // "unix", "tcp" or "ssh"
	// Path is the socket for unix, the remote socket for ssh (empty: the
	// remote side's default).
	Path string
	Host string // tcp and ssh: host name or address, without brackets
	Port int    // tcp: required; ssh: 0 means ssh's default
	User string // ssh only; empty means ssh's default
}

// ParseURI parses and checks a service URI.
func ParseURI(s string) (URI, error) {
	bad := func(format string, args ...any) (URI, error) {
		return URI{}, fmt.Errorf("invalid service URI %q: %s: %w", s, fmt.Sprintf(format, args...), errdefs.ErrInvalidArg)
	}
	if s == "" {
		return bad("empty")
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("%v", unwrapURLError(err))
	}
	if u.Opaque != "" {
		return bad("want SCHEME://…")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return bad("a query or fragment is not allowed")
	}
	switch u.Scheme {
	case "unix":
		if u.User != nil || u.Host != "" {
			return bad("want unix:///absolute/path (three slashes)")
		}
		if !filepath.IsAbs(u.Path) || filepath.Clean(u.Path) != u.Path {
			return bad("the socket path must be absolute and clean")
		}
		return URI{Scheme: "unix", Path: u.Path}, nil
	case "tcp":
		if u.User != nil {
			return bad("tcp takes no user")
		}
		if u.Path != "" && u.Path != "/" {
			return bad("tcp takes no path")
		}
		host, port, err := hostPort(u, true)
		if err != nil {
			return bad("%v", err)
		}
		return URI{Scheme: "tcp", Host: host, Port: port}, nil
	case "ssh":
		host, port, err := hostPort(u, false)
		if err != nil {
			return bad("%v", err)
		}
		out := URI{Scheme: "ssh", Host: host, Port: port}
		if u.User != nil {
			if _, hasPass := u.User.Password(); hasPass {
				return bad("passwords are not supported; use a key")
			}
			out.User = u.User.Username()
			if !validSSHWord(out.User) {
				return bad("invalid user name")
			}
		}
		if u.Path != "" && u.Path != "/" {
			if filepath.Clean(u.Path) != u.Path || !validSSHWord(u.Path) {
				return bad("the remote socket path must be clean and without spaces or quotes")
			}
			out.Path = u.Path
		}
		return out, nil
	case "":
		return bad("missing scheme (unix://, tcp:// or ssh://)")
	}
	return bad("unsupported scheme %q (want unix, tcp or ssh)", u.Scheme)
}

// hostPort checks the authority; needPort makes a missing port an error.
func hostPort(u *url.URL, needPort bool) (string, int, error) {
	host := u.Hostname()
	if host == "" {
		return "", 0, fmt.Errorf("missing host")
	}
	if net.ParseIP(host) == nil && !validHostname(host) {
		return "", 0, fmt.Errorf("invalid host %q", host)
	}
	p := u.Port()
	if p == "" {
		if strings.HasSuffix(u.Host, ":") {
			return "", 0, fmt.Errorf("empty port")
		}
		if needPort {
			return "", 0, fmt.Errorf("missing port (tcp://host:port)")
		}
		return host, 0, nil
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 || strconv.Itoa(port) != p {
		return "", 0, fmt.Errorf("invalid port %q", p)
	}
	return host, port, nil
}

// validHostname accepts DNS-style names (letters, digits, '.', '-', '_'),
// not starting with '-' so that ssh can never take one for an option.
func validHostname(h string) bool {
	if h == "" || h[0] == '-' || len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// validSSHWord rejects what could change the meaning of the ssh command
// line: words starting with "-" (options) and shell metacharacters, since
// the remote command goes through the remote user's shell.
func validSSHWord(s string) bool {
	if s == "" || strings.HasPrefix(s, "-") {
		return false
	}
	for _, r := range s {
		if r < 0x21 || r == 0x7f || strings.ContainsRune("\"'`\\$;&|<>(){}*?[]!#~", r) {
			return false
		}
	}
	return true
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// String formats u so that ParseURI(u.String()) == u.
func (u URI) String() string {
	switch u.Scheme {
	case "unix":
		return (&url.URL{Scheme: "unix", Path: u.Path}).String()
	case "tcp":
		return "tcp://" + net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
	case "ssh":
		out := &url.URL{Scheme: "ssh", Host: u.Host, Path: u.Path}
		if strings.Contains(u.Host, ":") {
			out.Host = "[" + u.Host + "]"
		}
		if u.Port != 0 {
			out.Host = net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
		}
		if u.User != "" {
			out.User = url.User(u.User)
		}
		return out.String()
	}
	return ""
}

// DefaultSocketPath is where the local service listens by default:
// /run/skiff/skiff.sock for root, else <base>/skiff/skiff.sock, where the
// base is the runtime dir rule of package rootless (rundir.c):
// $XDG_RUNTIME_DIR (which skiff's constructor sets in every rootless
// process), else the user's own 0700 /run/user/$UID, else /tmp/skiff-$UID.
func DefaultSocketPath() string {
	uid := os.Getuid()
	if uid == 0 {
		return "/run/skiff/skiff.sock"
	}
	if xdg := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(xdg) {
		if st, err := os.Stat(xdg); err == nil && st.IsDir() {
			return filepath.Join(xdg, "skiff", "skiff.sock")
		}
	}
	runUser := fmt.Sprintf("/run/user/%d", uid)
	if st, err := os.Lstat(runUser); err == nil && st.IsDir() && st.Mode().Perm() == 0o700 {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) == uid {
			return filepath.Join(runUser, "skiff", "skiff.sock")
		}
	}
	return filepath.Join("/tmp", fmt.Sprintf("skiff-%d", uid), "skiff", "skiff.sock")
}

// DefaultURI is the unix URI of DefaultSocketPath.
func DefaultURI() URI { return URI{Scheme: "unix", Path: DefaultSocketPath()} }
