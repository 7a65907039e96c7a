package specgen

import (
	"fmt"
	"path"
	"strings"
	"syscall"

	securejoin "github.com/cyphar/filepath-securejoin"
	"github.com/moby/sys/user"
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// DefaultPath is the PATH every container starts with, as Docker's.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// ImageConfig is what the engine reads from the image's configuration.
type ImageConfig struct {
	Env        []string
	Cmd        []string
	Entrypoint []string
	WorkingDir string
	User       string
	StopSignal string
	Labels     map[string]string
	// ExposedPorts are the image's EXPOSE entries, "80/tcp", sorted.
	ExposedPorts []string `json:",omitempty"`
	// Volumes are the image's VOLUME entries, sorted: each becomes an
	// anonymous volume unless the user mounts something there.
	Volumes []string `json:",omitempty"`
}

// ResolveArgs returns the main process's argv following Docker's rules: an
// entrypoint given by the user replaces the image's (`--entrypoint ""`
// clears it) and then also drops the image's CMD; a command given by the
// user replaces the image's CMD. An empty result is an error.
func (s *SpecGenerator) ResolveArgs(img ImageConfig) ([]string, error) {
	entrypoint := img.Entrypoint
	if s.Entrypoint != nil {
		entrypoint = s.Entrypoint
		if len(entrypoint) == 1 && entrypoint[0] == "" {
			entrypoint = nil
		}
	}
	cmd := img.Cmd
	switch {
	case len(s.Command) > 0:
		cmd = s.Command
	case s.Entrypoint != nil:
		cmd = nil
	}
	args := make([]string, 0, len(entrypoint)+len(cmd))
	args = append(append(args, entrypoint...), cmd...)
	if len(args) == 0 {
		return nil, fmt.Errorf("no command specified for image %q: %w", s.Image, errdefs.ErrInvalidArg)
	}
	return args, nil
}

// ResolveEnv returns the main process's environment as Docker builds it: PATH,
// HOSTNAME and (with a terminal) TERM=xterm first, then the image's
// environment, then the user's; a later entry replaces an earlier one with
// the same key in place, and a user entry without "=" removes the key.
func (s *SpecGenerator) ResolveEnv(img ImageConfig, hostname string) []string {
	base := []string{"PATH=" + DefaultPath, "HOSTNAME=" + hostname}
	if s.Terminal {
		base = append(base, "TERM=xterm")
	}
	return MergeEnv(base, img.Env, s.Env)
}

// MergeEnv merges environment lists; see ResolveEnv for the rules.
func MergeEnv(lists ...[]string) []string {
	var out []string
	index := make(map[string]int)
	for _, list := range lists {
		for _, e := range list {
			key, _, hasValue := strings.Cut(e, "=")
			i, exists := index[key]
			switch {
			case !hasValue && exists:
				out[i] = ""
				delete(index, key)
			case !hasValue:
			case exists:
				out[i] = e
			default:
				index[key] = len(out)
				out = append(out, e)
			}
		}
	}
	merged := out[:0]
	for _, e := range out {
		if e != "" {
			merged = append(merged, e)
		}
	}
	return merged
}

// ResolveWorkDir returns the main process's working directory: the user's, else
// the image's (made absolute), else "/".
func (s *SpecGenerator) ResolveWorkDir(img ImageConfig) string {
	switch {
	case s.WorkDir != "":
		return path.Clean(s.WorkDir)
	case img.WorkingDir != "":
		return path.Join("/", img.WorkingDir)
	}
	return "/"
}

// ResolveStopSignal returns the signal `stop` sends first: the user's, else the
// image's, else SIGTERM.
func (s *SpecGenerator) ResolveStopSignal(img ImageConfig) (syscall.Signal, error) {
	for _, sig := range []string{s.StopSignal, img.StopSignal} {
		if sig != "" {
			return ParseSignal(sig)
		}
	}
	return syscall.SIGTERM, nil
}

// ResolveLabels returns the image's labels overlaid with the user's.
func (s *SpecGenerator) ResolveLabels(img ImageConfig) map[string]string {
	out := make(map[string]string, len(img.Labels)+len(s.Labels))
	for k, v := range img.Labels {
		out[k] = v
	}
	for k, v := range s.Labels {
		out[k] = v
	}
	return out
}

// resolveUser turns user[:group] (the user's, else the image's) into ids by
// reading the container's /etc/passwd and /etc/group, confined to rootfs so
// that symlinks in the image cannot point at the host's files.
func resolveUser(rootfs, spec string) (*user.ExecUser, error) {
	passwd, err := securejoin.SecureJoin(rootfs, "/etc/passwd")
	if err != nil {
		return nil, fmt.Errorf("resolving /etc/passwd in rootfs: %w", err)
	}
	group, err := securejoin.SecureJoin(rootfs, "/etc/group")
	if err != nil {
		return nil, fmt.Errorf("resolving /etc/group in rootfs: %w", err)
	}
	defaults := &user.ExecUser{Uid: 0, Gid: 0, Home: "/"}
	u, err := user.GetExecUserPath(spec, defaults, passwd, group)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, errdefs.ErrInvalidArg)
	}
	return u, nil
}

// hasEnv reports whether env sets key.
func hasEnv(env []string, key string) bool {
	for _, e := range env {
		if k, _, _ := strings.Cut(e, "="); k == key {
			return true
		}
	}
	return false
}

// nofileLimit is the NOFILE limit to give the container: the caller's hard
// limit, as both soft and hard. Raising it further needs CAP_SYS_RESOURCE in
// the initial user namespace, which rootless never has and even root may
// lack (in a VM sandbox or a container).
func nofileLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, fmt.Errorf("reading NOFILE limit: %w", err)
	}
	return rl.Max, nil
}

// ResolveUser turns user[:group] into the OCI user of a process in the
// container whose root filesystem is mounted at rootfs (used by exec).
func ResolveUser(rootfs, spec string) (specs.User, error) {
	u, err := resolveUser(rootfs, spec)
	if err != nil {
		return specs.User{}, err
	}
	out := specs.User{UID: uint32(u.Uid), GID: uint32(u.Gid)}
	for _, g := range u.Sgids {
		out.AdditionalGids = append(out.AdditionalGids, uint32(g))
	}
	return out, nil
}
