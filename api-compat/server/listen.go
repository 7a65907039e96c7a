package server

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Endpoint is a parsed service URI.
type Endpoint struct {
	Network string // "unix" or "tcp"
	Address string // an absolute socket path, or host:port
}

func (e Endpoint) String() string {
	if e.Network == "unix" {
		return "unix://" + e.Address
	}
	return e.Network + "://" + e.Address
}

// errInUse says another service answers on a socket path.
var errInUse = errdefs.New(errdefs.ClassConflict, "another service already listens there")

// maxSocketPath is sun_path's size less its terminating NUL.
const maxSocketPath = 107

// ParseURI parses unix:///abs/path or tcp://host:port. It checks syntax
// only; CheckEndpoint decides whether listening there is allowed.
func ParseURI(uri string) (Endpoint, error) {
	invalid := func(format string, args ...any) (Endpoint, error) {
		return Endpoint{}, fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), errdefs.ErrInvalidArg)
	}
	if strings.ContainsRune(uri, 0) {
		return invalid("invalid URI %q: it contains a NUL byte", uri)
	}
	if path, ok := strings.CutPrefix(uri, "unix://"); ok {
		switch {
		case path == "":
			return invalid("invalid URI %q: no socket path (want unix:///path/to/socket)", uri)
		case !strings.HasPrefix(path, "/"):
			return invalid("invalid URI %q: the socket path must be absolute (want unix:///path/to/socket)", uri)
		}
		path = filepath.Clean(path)
		if len(path) > maxSocketPath {
			return invalid("invalid URI %q: a socket path is limited to %d bytes", uri, maxSocketPath)
		}
		return Endpoint{Network: "unix", Address: path}, nil
	}
	if hostport, ok := strings.CutPrefix(uri, "tcp://"); ok {
		if i := strings.IndexAny(hostport, "/?#@"); i >= 0 {
			return invalid("invalid URI %q: want tcp://host:port with nothing after the port", uri)
		}
		host, port, err := net.SplitHostPort(hostport)
		if err != nil {
			return invalid("invalid URI %q: want tcp://host:port (%v)", uri, err)
		}
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || strconv.FormatUint(n, 10) != port {
			return invalid("invalid URI %q: port %q is not a number from 0 to 65535", uri, port)
		}
		if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
			return invalid("invalid URI %q: %q is neither an IP address nor a host name", uri, host)
		}
		return Endpoint{Network: "tcp", Address: net.JoinHostPort(host, port)}, nil
	}
	return invalid("invalid URI %q: want unix:///path/to/socket or tcp://host:port", uri)
}

// validHostname accepts DNS names made of letters, digits, '-' and '.'.
func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// TLSFiles name the PEM files for mutual TLS.
type TLSFiles struct {
	Cert, Key string // the server's certificate and key
	ClientCA  string // the CA that client certificates must chain to
}

func (f TLSFiles) any() bool { return f.Cert != "" || f.Key != "" || f.ClientCA != "" }

// ListenOptions say how to secure and set up listeners.
type ListenOptions struct {
	TLS TLSFiles
	// InsecureTCP allows plain TCP, on loopback addresses only.
	InsecureTCP bool
	// SocketMode is the mode of a unix socket Listen creates (0: 0600).
	SocketMode os.FileMode
	// SocketGID, when >= 0, is the group a created unix socket gets.
	SocketGID int
}

func refuse(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), errdefs.ErrInvalidArg)
}

// CheckEndpoint applies the rules for where the service may listen: unix
// sockets freely; TCP only with complete mutual TLS, or with InsecureTCP on
// a loopback address. Its errors say why, on one line.
func CheckEndpoint(ep Endpoint, opts ListenOptions) error {
	if ep.Network == "unix" {
		switch {
		case opts.TLS.any():
			return refuse("--tls-cert, --tls-key and --tls-client-ca apply to tcp:// only, not to %s", ep)
		case opts.InsecureTCP:
			return refuse("--insecure-tcp applies to tcp:// only, not to %s", ep)
		}
		return nil
	}
	if ep.Network != "tcp" {
		return refuse("cannot listen on %s: want unix:// or tcp://", ep)
	}
	if err := checkTLSFlags(opts); err != nil {
		return err
	}
	if opts.TLS.any() {
		return nil
	}
	if !opts.InsecureTCP {
		return refuse("refusing to listen on %s without TLS: anyone who reaches the port would control the engine; give --tls-cert, --tls-key and --tls-client-ca, or --insecure-tcp with a loopback address", ep)
	}
	host, _, _ := net.SplitHostPort(ep.Address)
	if !loopbackHost(host) {
		return refuse("refusing --insecure-tcp on %s: plain TCP is allowed only on a loopback address (127.0.0.1, ::1, localhost)", ep)
	}
	return nil
}

// checkTLSFlags refuses incomplete or contradictory TLS settings.
func checkTLSFlags(opts ListenOptions) error {
	if !opts.TLS.any() {
		return nil
	}
	if opts.InsecureTCP {
		return refuse("--insecure-tcp and the --tls-* flags contradict each other: choose one")
	}
	var missing []string
	for _, f := range []struct{ name, val string }{
		{"--tls-cert", opts.TLS.Cert}, {"--tls-key", opts.TLS.Key}, {"--tls-client-ca", opts.TLS.ClientCA},
	} {
		if f.val == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return refuse("TLS needs --tls-cert, --tls-key and --tls-client-ca (clients must present a certificate): missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// loopbackHost is true for loopback IP literals and "localhost".
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackAddr is true when a bound address is a loopback one.
func loopbackAddr(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// TLSConfig builds the server side of mutual TLS: TLS 1.2 or newer, and a
// client certificate signed by ClientCA required and verified at the
// handshake. HTTP/2 is not offered: hijacked streams need HTTP/1.1.
func TLSConfig(files TLSFiles) (*tls.Config, error) {
	if err := checkTLSFlags(ListenOptions{TLS: files}); err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(files.Cert, files.Key)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate and key: %v: %w", err, errdefs.ErrInvalidArg)
	}
	pem, err := os.ReadFile(files.ClientCA)
	if err != nil {
		return nil, fmt.Errorf("reading the client CA: %v: %w", err, errdefs.ErrInvalidArg)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, refuse("no PEM certificate found in the client CA file %s", files.ClientCA)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
		NextProtos:   []string{"http/1.1"},
	}, nil
}

// Listen opens ep after CheckEndpoint allows it. A unix socket gets its
// mode and group before it appears under its name, replaces a stale socket
// file, and is refused when a live service answers there.
func Listen(ep Endpoint, opts ListenOptions) (net.Listener, error) {
	if err := CheckEndpoint(ep, opts); err != nil {
		return nil, err
	}
	if ep.Network == "unix" {
		return listenUnix(ep.Address, opts)
	}
	return listenTCP(ep, opts)
}

func listenTCP(ep Endpoint, opts ListenOptions) (net.Listener, error) {
	var cfg *tls.Config
	if opts.TLS.any() {
		var err error
		if cfg, err = TLSConfig(opts.TLS); err != nil {
			return nil, err
		}
	}
	l, err := net.Listen("tcp", ep.Address)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", ep, err)
	}
	if cfg != nil {
		return tls.NewListener(l, cfg), nil
	}
	if !loopbackAddr(l.Addr()) {
		// "localhost" resolved to something else.
		l.Close()
		return nil, refuse("refusing --insecure-tcp on %s: it resolved to %s, not a loopback address", ep, l.Addr())
	}
	return l, nil
}

// unixListener is a socket this process created; on exit it is unlinked
// before the listener closes, so no client connects to a dying service.
type unixListener struct {
	*net.UnixListener
	path string
	fi   os.FileInfo // the socket file we created, to unlink only ours
}

// Addr reports the socket's final path, not the temporary name it was
// bound to.
func (l *unixListener) Addr() net.Addr { return &net.UnixAddr{Name: l.path, Net: "unix"} }

// unlink removes the socket file if it is still the one we created.
func (l *unixListener) unlink() {
	if fi, err := os.Lstat(l.path); err == nil && os.SameFile(fi, l.fi) {
		_ = os.Remove(l.path)
	}
}

// listenUnix binds a temporary name in the socket's directory, sets mode
// and group, then renames it into place: the socket never exists under its
// name with looser permissions.
func listenUnix(path string, opts ListenOptions) (net.Listener, error) {
	if err := checkStale(path); err != nil {
		return nil, err
	}
	mode := opts.SocketMode
	if mode == 0 {
		mode = 0o600
	}
	tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf(".skiff-%d.sock", os.Getpid()))
	if len(tmp) > maxSocketPath {
		tmp = path // no room for a temporary name: chmod right after bind
	}
	_ = os.Remove(tmp)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listening on unix://%s: %w", path, err)
	}
	l.SetUnlinkOnClose(false)
	fail := func(err error) (net.Listener, error) {
		l.Close()
		_ = os.Remove(tmp)
		return nil, err
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return fail(fmt.Errorf("setting the mode of %s: %w", path, err))
	}
	if opts.SocketGID >= 0 {
		if err := os.Lchown(tmp, -1, opts.SocketGID); err != nil {
			return fail(fmt.Errorf("setting the group of %s: %w", path, err))
		}
	}
	if tmp != path {
		if err := os.Rename(tmp, path); err != nil {
			return fail(fmt.Errorf("moving the socket into place at %s: %w", path, err))
		}
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return fail(err)
	}
	return &unixListener{UnixListener: l, path: path, fi: fi}, nil
}

// checkStale refuses a path where a live service answers or where some
// other kind of file is; a dead socket file is fine to replace.
func checkStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	if fi.Mode().Type() != os.ModeSocket {
		return refuse("refusing to listen on unix://%s: the path exists and is not a socket", path)
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("refusing to listen on unix://%s: %w", path, errInUse)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.ENOENT) {
		return fmt.Errorf("checking whether unix://%s is in use: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the stale socket %s: %w", path, err)
	}
	return nil
}

// Adopt applies the listening rules to sockets handed over by systemd:
// unix sockets are used as they are (systemd owns their files), TCP ones
// get mutual TLS when configured, else need InsecureTCP and a loopback
// address. Anything else is refused, closing every listener.
func Adopt(ls []net.Listener, opts ListenOptions) ([]net.Listener, error) {
	closeAll := func() {
		for _, l := range ls {
			if l != nil {
				l.Close()
			}
		}
	}
	if err := checkTLSFlags(opts); err != nil {
		closeAll()
		return nil, err
	}
	var cfg *tls.Config
	out := make([]net.Listener, 0, len(ls))
	for _, l := range ls {
		if l == nil {
			continue
		}
		switch l.Addr().Network() {
		case "unix":
			out = append(out, l)
			continue
		case "tcp":
		default:
			closeAll()
			return nil, refuse("systemd passed a %s socket (%s); want unix or tcp stream sockets", l.Addr().Network(), l.Addr())
		}
		switch {
		case opts.TLS.any():
			if cfg == nil {
				var err error
				if cfg, err = TLSConfig(opts.TLS); err != nil {
					closeAll()
					return nil, err
				}
			}
			out = append(out, tls.NewListener(l, cfg))
		case opts.InsecureTCP && loopbackAddr(l.Addr()):
			out = append(out, l)
		case opts.InsecureTCP:
			closeAll()
			return nil, refuse("refusing --insecure-tcp on the systemd socket %s: plain TCP is allowed only on a loopback address", l.Addr())
		default:
			closeAll()
			return nil, refuse("refusing the systemd socket tcp://%s without TLS: give --tls-cert, --tls-key and --tls-client-ca, or --insecure-tcp with a loopback address", l.Addr())
		}
	}
	if len(out) == 0 {
		return nil, refuse("systemd passed LISTEN_FDS but no usable stream socket")
	}
	return out, nil
}
