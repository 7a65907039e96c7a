package specgen

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ParseVolume parses a `-v`/`--volume` value of the form
// host-path:container-path[:options], where options is a comma-separated list
// of ro, rw, z, Z, nocopy, suid, nosuid, dev, nodev, exec, noexec, bind,
// rbind and a propagation mode (shared, slave, private and their r-forms).
// Only bind mounts of absolute host paths are supported: named and anonymous
// volumes are refused, and so are relative paths (the CLI resolves those
// starting with "." before, as Docker's does). ParseVolume does not look at the host; Validate does.
func ParseVolume(spec string) (Mount, error) {
	invalid := func(why string) (Mount, error) {
		return Mount{}, fmt.Errorf("invalid volume specification %q: %s: %w", spec, why, errdefs.ErrInvalidArg)
	}
	parts := strings.Split(spec, ":")
	switch {
	case spec == "":
		return invalid("empty")
	case len(parts) == 1:
		return invalid("anonymous volumes are not supported yet; give host-path:container-path")
	case len(parts) > 3:
		return invalid("too many colons")
	}
	src, dst := parts[0], parts[1]
	if src == "" || dst == "" {
		return invalid("empty host or container path")
	}
	if isVolumeName(src) {
		return invalid(fmt.Sprintf("%q names a volume, and skiff has no named volumes yet (they come later); for a bind mount give a host path, absolute or starting with ./", src))
	}
	if !filepath.IsAbs(src) {
		return invalid(fmt.Sprintf("host path %q must be absolute", src))
	}
	if !filepath.IsAbs(dst) {
		return invalid(fmt.Sprintf("container path %q must be absolute", dst))
	}
	m := Mount{Source: filepath.Clean(src), Destination: filepath.Clean(dst)}
	if len(parts) == 3 {
		if parts[2] == "" {
			return invalid("empty options")
		}
		for _, o := range strings.Split(parts[2], ",") {
			switch o {
			case "ro":
				m.ReadOnly = true
			case "rw":
			default:
				m.Options = append(m.Options, o)
			}
		}
		if err := checkMountOptions(strings.Split(parts[2], ",")); err != nil {
			return invalid(err.Error())
		}
	}
	return m, nil
}

// isVolumeName tells a volume name from a host path the way Docker's CLI
// does: a source that does not start with "/", "." or "~" names a volume.
func isVolumeName(src string) bool {
	return !strings.HasPrefix(src, "/") && !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "~")
}

// mountOptionGroups lists the options a bind mount accepts; at most one
// option of each group may be given.
var mountOptionGroups = [][]string{
	{"ro", "rw"},
	{"z", "Z"},
	{"shared", "rshared", "slave", "rslave", "private", "rprivate"},
	{"suid", "nosuid"},
	{"dev", "nodev"},
	{"exec", "noexec"},
	{"bind", "rbind"},
	{"nocopy"},
}

// checkMountOptions rejects unknown options and conflicting ones.
func checkMountOptions(opts []string) error {
	seen := make(map[int]string)
	for _, o := range opts {
		group := -1
		for i, g := range mountOptionGroups {
			for _, known := range g {
				if o == known {
					group = i
				}
			}
		}
		if group < 0 {
			return fmt.Errorf("unknown option %q", o)
		}
		if prev, ok := seen[group]; ok {
			return fmt.Errorf("options %q and %q conflict", prev, o)
		}
		seen[group] = o
	}
	return nil
}

// ParseEnvFile reads a Docker env file: one KEY=VALUE per line, the value
// taken verbatim; a line with a KEY alone takes the value from this process's
// environment and is dropped when the variable is unset; lines starting with
// # and blank lines are ignored; leading whitespace is trimmed.
func ParseEnvFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading env file: %w: %w", err, errdefs.ErrInvalidArg)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var env []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Bytes()
		if !utf8.Valid(raw) {
			return nil, fmt.Errorf("env file %s contains invalid utf8 bytes at line %d: %w", path, n, errdefs.ErrInvalidArg)
		}
		line := strings.TrimLeftFunc(string(raw), unicode.IsSpace)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, hasValue := strings.Cut(line, "=")
		if key == "" {
			return nil, fmt.Errorf("env file %s line %d: no variable name in %q: %w", path, n, line, errdefs.ErrInvalidArg)
		}
		if strings.ContainsFunc(key, unicode.IsSpace) {
			return nil, fmt.Errorf("env file %s line %d: variable %q contains whitespaces: %w", path, n, key, errdefs.ErrInvalidArg)
		}
		if hasValue {
			env = append(env, key+"="+value)
		} else if v, ok := os.LookupEnv(key); ok {
			env = append(env, key+"="+v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading env file %s: %w: %w", path, err, errdefs.ErrInvalidArg)
	}
	return env, nil
}

// Linux real-time signal bounds as the C library exposes them (glibc keeps
// 32 and 33 for itself), which is what Docker's RTMIN+n names mean.
const (
	sigRTMin = 34
	sigRTMax = 64
)

// signalAliases are names unix.SignalNum does not know.
var signalAliases = map[string]syscall.Signal{
	"SIGIOT":  unix.SIGIOT,
	"SIGCLD":  unix.SIGCHLD,
	"SIGPOLL": unix.SIGIO,
}

// ParseSignal parses a signal given by name ("TERM", "SIGTERM", "sigkill",
// "RTMIN+3") or by number ("15").
func ParseSignal(s string) (syscall.Signal, error) {
	invalid := func() (syscall.Signal, error) {
		return 0, fmt.Errorf("invalid signal %q: %w", s, errdefs.ErrInvalidArg)
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > sigRTMax {
			return invalid()
		}
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(strings.TrimSpace(s))
	if name == "" {
		return invalid()
	}
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig, ok := signalAliases[name]; ok {
		return sig, nil
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	if sig, ok := parseRealtime(strings.TrimPrefix(name, "SIG")); ok {
		return sig, nil
	}
	return invalid()
}

// parseRealtime parses RTMIN, RTMIN+n, RTMAX and RTMAX-n.
func parseRealtime(name string) (syscall.Signal, bool) {
	var base, sign int
	var rest string
	switch {
	case strings.HasPrefix(name, "RTMIN"):
		base, sign, rest = sigRTMin, 1, strings.TrimPrefix(name, "RTMIN")
	case strings.HasPrefix(name, "RTMAX"):
		base, sign, rest = sigRTMax, -1, strings.TrimPrefix(name, "RTMAX")
	default:
		return 0, false
	}
	if rest == "" {
		return syscall.Signal(base), true
	}
	op := "+"
	if sign < 0 {
		op = "-"
	}
	if !strings.HasPrefix(rest, op) {
		return 0, false
	}
	n, err := strconv.Atoi(rest[1:])
	if err != nil || n < 0 {
		return 0, false
	}
	sig := base + sign*n
	if sig < sigRTMin || sig > sigRTMax {
		return 0, false
	}
	return syscall.Signal(sig), true
}
