package registryauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/containers/common/pkg/auth"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/pkg/docker/config"
	"github.com/containers/image/v5/pkg/sysregistriesv2"
	"github.com/containers/image/v5/types"
)

// rootlessUIDEnv is set by skiff's user namespace set-up (package rootless)
// in processes that run as root inside a rootless user's namespace.
const rootlessUIDEnv = "_SKIFF_ROOTLESS_UID"

// Env is the part of the process environment the defaults depend on.
type Env struct {
	// Rootless is true for an unprivileged user, also inside skiff's user
	// namespace where the effective uid is 0.
	Rootless bool
	// InNamespace is true for a rootless user's process running as uid 0
	// inside skiff's user namespace, where containers/image's per-uid
	// default, /run/containers/0/auth.json, is root's file, not the user's.
	InNamespace bool
	UID         int
	Getenv      func(string) string
}

// ProcessEnv describes the running process.
func ProcessEnv() Env {
	uid := os.Geteuid()
	env := Env{Rootless: uid != 0, UID: uid, Getenv: os.Getenv}
	if v := os.Getenv(rootlessUIDEnv); v != "" && uid == 0 {
		if n, err := strconv.Atoi(v); err == nil {
			env.UID, env.Rootless, env.InNamespace = n, true, true
		}
	}
	return env
}

// DefaultAuthFile is where login writes credentials: $REGISTRY_AUTH_FILE,
// else $XDG_RUNTIME_DIR/containers/auth.json, else (rootless without a
// runtime dir, where containers/image's /run/containers/UID is not ours to
// write) $XDG_CONFIG_HOME or ~/.config/containers/auth.json, and for root
// /run/containers/0/auth.json, as Podman does.
func DefaultAuthFile(env Env) string {
	if p := env.Getenv("REGISTRY_AUTH_FILE"); p != "" {
		return p
	}
	if d := env.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "containers", "auth.json")
	}
	if env.Rootless {
		return filepath.Join(configHome(env), "containers", "auth.json")
	}
	return fmt.Sprintf("/run/containers/%d/auth.json", env.UID)
}

func configHome(env Env) string {
	if d := env.Getenv("XDG_CONFIG_HOME"); d != "" {
		return d
	}
	return filepath.Join(env.Getenv("HOME"), ".config")
}

// ReadAuthFile is the auth file to hand containers/image for reading when
// the user named none. Empty lets containers/image search its usual list
// (/run/containers/UID or the runtime dir, ~/.config/containers/auth.json,
// $DOCKER_CONFIG/config.json or ~/.docker/config.json, ~/.dockercfg), as
// Podman does. Naming a file disables that search, so it is done only where
// the search would fail: inside skiff's user namespace with no runtime dir,
// where the first entry is root's /run/containers/0, unreadable to the user.
// Then the first existing file of the user's own list is named instead
// (auth.json, then Docker's), or, when none exists, the one login would
// write. Only one file can be named there: credentials for a registry that
// only Docker's file holds are not found while auth.json exists.
func ReadAuthFile(env Env, explicit string) string {
	if explicit != "" {
		return explicit
	}
	if p := env.Getenv("REGISTRY_AUTH_FILE"); p != "" {
		return p
	}
	if !env.InNamespace || env.Getenv("XDG_RUNTIME_DIR") != "" {
		return ""
	}
	own := filepath.Join(configHome(env), "containers", "auth.json")
	for _, p := range []string{own, dockerConfigFile(env)} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	// A missing file means no credentials to containers/image, while its
	// own default would fail on root's unreadable /run/containers/0.
	return own
}

// dockerConfigFile is the Docker client's config, where docker login
// writes: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
func dockerConfigFile(env Env) string {
	if d := env.Getenv("DOCKER_CONFIG"); d != "" {
		return filepath.Join(d, "config.json")
	}
	return filepath.Join(env.Getenv("HOME"), ".docker", "config.json")
}

// LoginOptions are the login command's settings.
type LoginOptions struct {
	AuthFile      string
	CertDir       string
	Username      string
	Password      string
	PasswordStdin bool
	GetLogin      bool
	// Interactive says Stdin is a terminal, where a missing user name or
	// password may be asked for.
	Interactive bool
	// TLSVerify, when set, overrides registries.conf for the check.
	TLSVerify *bool
	Stdin     io.Reader
	Stdout    io.Writer
}

// Login checks credentials against registry and stores them; with
// GetLogin it prints the stored user instead.
func Login(ctx context.Context, env Env, registry string, opts LoginOptions) error {
	sys := systemContext(env)
	if opts.TLSVerify != nil {
		sys.DockerInsecureSkipTLSVerify = types.NewOptionalBool(!*opts.TLSVerify)
	}
	authFile := opts.AuthFile
	if authFile == "" {
		authFile = DefaultAuthFile(env)
		if !opts.GetLogin {
			if err := os.MkdirAll(filepath.Dir(authFile), 0o700); err != nil {
				return fmt.Errorf("creating the directory of %s: %w", authFile, err)
			}
		}
	}
	if !opts.Interactive && opts.Password == "" && !opts.PasswordStdin && !opts.GetLogin &&
		(opts.Username != "" || !hasCredentials(sys, authFile, registry)) {
		// Docker's words: it would have to ask, and cannot.
		return errors.New("Cannot perform an interactive login from a non TTY device")
	}
	return auth.Login(ctx, sys, &auth.LoginOptions{
		AuthFile:      authFile,
		CertDir:       opts.CertDir,
		Username:      opts.Username,
		Password:      opts.Password,
		StdinPassword: opts.PasswordStdin,
		GetLoginSet:   opts.GetLogin,
		Stdin:         opts.Stdin,
		Stdout:        dockerWords{opts.Stdout},
	}, []string{registry})
}

// hasCredentials reports whether a user and password are stored for
// registry, which a login without either reuses.
func hasCredentials(sys *types.SystemContext, authFile, registry string) bool {
	withFile := *sys
	withFile.AuthFilePath = authFile
	ac, err := config.GetCredentials(&withFile, hostOf(registry))
	return err == nil && ac.Username != "" && ac.Password != ""
}

// dockerWords writes containers/common's login messages in Docker's
// words: "Login Succeeded", without Podman's exclamation mark.
type dockerWords struct{ w io.Writer }

func (d dockerWords) Write(p []byte) (int, error) {
	if string(p) == "Login Succeeded!\n" {
		if _, err := io.WriteString(d.w, "Login Succeeded\n"); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return d.w.Write(p)
}

// LogoutOptions are the logout command's settings.
type LogoutOptions struct {
	AuthFile string
	All      bool
	Stdout   io.Writer
}

// Logout removes the credentials stored for registry (or, with All, for
// every registry) in the auth file and the credential helpers it names.
// Like Docker's logout it says what it removes and succeeds whether or not
// anything was stored, also when the auth file does not exist yet.
func Logout(env Env, registry string, opts LogoutOptions) error {
	sys := systemContext(env)
	sys.AuthFilePath = opts.AuthFile
	if sys.AuthFilePath == "" {
		sys.AuthFilePath = DefaultAuthFile(env)
	}
	if opts.All {
		if err := removeAll(sys); err != nil {
			return err
		}
		fmt.Fprintln(opts.Stdout, "Removed login credentials for all registries")
		return nil
	}
	host := hostOf(registry)
	fmt.Fprintln(opts.Stdout, "Removing login credentials for", host)
	if !stored(sys) {
		return nil
	}
	err := config.RemoveAuthentication(sys, host)
	if err != nil && !errors.Is(err, config.ErrNotLoggedIn) {
		return fmt.Errorf("removing the credentials of %s: %w", host, err)
	}
	return nil
}

// removeAll erases every stored credential, if anything can be stored.
func removeAll(sys *types.SystemContext) error {
	if !stored(sys) {
		return nil
	}
	if err := config.RemoveAllAuthentication(sys); err != nil {
		return fmt.Errorf("removing all credentials: %w", err)
	}
	return nil
}

// stored reports whether credentials can be stored anywhere: a credential
// helper configured in registries.conf, or an existing auth file. Editing
// a missing auth file would create an empty one, which logout must not.
func stored(sys *types.SystemContext) bool {
	if _, err := os.Stat(sys.AuthFilePath); err == nil {
		return true
	}
	helpers, err := sysregistriesv2.CredentialHelpers(sys)
	if err != nil {
		return true // let the removal report the broken configuration
	}
	for _, h := range helpers {
		if h != sysregistriesv2.AuthenticationFileHelper {
			return true
		}
	}
	return false
}

// hostOf is the registry's host[:port], as Docker's logout reduces its
// argument: a URL loses its scheme and path ("https://r.io/v1/" is r.io).
func hostOf(registry string) string {
	s := registry
	if scheme, rest, ok := strings.Cut(s, "://"); ok && (scheme == "http" || scheme == "https") {
		s = rest
	}
	host, _, _ := strings.Cut(s, "/")
	return host
}

// CredentialsFor returns "user:password" stored for the registry of image
// (a docker:// reference, the transport optional), or "" when none is
// stored. The remote
// engine uses it to send the client's credentials along.
func CredentialsFor(env Env, authFile, image string) (string, error) {
	named, err := reference.ParseNormalizedNamed(strings.TrimPrefix(image, "docker://"))
	if err != nil {
		return "", nil // not a registry reference (e.g. oci-archive:…)
	}
	sys := systemContext(env)
	sys.AuthFilePath = ReadAuthFile(env, authFile)
	ac, err := config.GetCredentialsForRef(sys, named)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
		return "", fmt.Errorf("reading credentials for %s: %w", reference.Domain(named), err)
	}
	if ac.Username == "" {
		return "", nil
	}
	return ac.Username + ":" + ac.Password, nil
}

// systemContext is where every lookup here starts: containers/image reads
// registries.conf (credential helpers) and takes its path from the
// SystemContext only; CONTAINERS_REGISTRIES_CONF names it, as libimage and
// Podman honour it.
func systemContext(env Env) *types.SystemContext {
	sys := &types.SystemContext{}
	if p := env.Getenv("CONTAINERS_REGISTRIES_CONF"); p != "" {
		sys.SystemRegistriesConfPath = p
	}
	return sys
}
