package command

import (
	"fmt"
)

// Target is where commands go: the local engine (URI empty) or a service.
type Target struct {
	URI      string
	Identity string // ssh key from the connection
	// Source says which setting chose the target, for messages.
	Source string
	// Probe marks a target taken from DOCKER_HOST: it is honoured only
	// if a skiff service answers there (see Env.Target).
	Probe bool
}

// Local reports whether the target is the in-process engine.
func (t Target) Local() bool { return t.URI == "" }

// ResolveTarget applies the precedence, first match wins:
//
//  1. --url / -H / --host
//  2. --connection NAME
//  3. CONTAINER_HOST
//  4. CONTAINER_CONNECTION (a connection name)
//  5. the default connection (`skiff system connection default`)
//  6. DOCKER_HOST, only when a skiff service answers there
//  7. the local engine
//
// DOCKER_HOST comes last, and is honoured only when it points at a skiff
// service, because it is usually exported for the docker CLI (often
// pointing at a Docker daemon): skiff is daemonless, so anything else
// there — a Docker daemon, nothing at all — leaves skiff local, silently
// (--log-level debug says why). skiff's own settings (1–5) are explicit
// and fail loudly when their service is missing or is not skiff. The
// target returned for DOCKER_HOST has Probe set; Env.Target does the
// probe. load is called only when a connection name or the default is
// needed. The rootless C constructor (rootless/nsenter.c) skips the user
// namespace for each of 1–6, so a remote command never enters it; when
// DOCKER_HOST turns out not to be a skiff service, the root command
// re-executes skiff into the namespace before the command runs.
//
// Transport settings read from the environment (see Env.Engine): for
// tcp://, the --tls-* flags, else DOCKER_TLS_VERIFY with DOCKER_CERT_PATH;
// for ssh://, the connection's identity, else SKIFF_SSH_IDENTITY, extra ssh
// options from SKIFF_SSH_OPTIONS (space-separated, e.g. "-o
// StrictHostKeyChecking=no" — for tests, not for production), and the skiff
// binary on the remote host from SKIFF_SSH_REMOTE_COMMAND (default "skiff").
func ResolveTarget(g GlobalOptions, getenv func(string) string, load func() (*Connections, error)) (Target, error) {
	if g.URL != "" {
		return Target{URI: g.URL, Source: "--url"}, nil
	}
	byName := func(name, source string) (Target, error) {
		conns, err := load()
		if err != nil {
			return Target{}, err
		}
		c, ok := conns.Connections[name]
		if !ok {
			return Target{}, Invalid("%s: no connection named %q (see skiff system connection ls)", source, name)
		}
		return Target{URI: c.URI, Identity: c.Identity, Source: fmt.Sprintf("%s %s", source, name)}, nil
	}
	if g.Connection != "" {
		return byName(g.Connection, "--connection")
	}
	if v := getenv("CONTAINER_HOST"); v != "" {
		return Target{URI: v, Source: "CONTAINER_HOST"}, nil
	}
	if v := getenv("CONTAINER_CONNECTION"); v != "" {
		return byName(v, "CONTAINER_CONNECTION")
	}
	conns, err := load()
	if err != nil {
		return Target{}, err
	}
	if conns.Default != "" {
		return byName(conns.Default, "default connection")
	}
	if v := getenv("DOCKER_HOST"); v != "" {
		return Target{URI: v, Source: "DOCKER_HOST", Probe: true}, nil
	}
	return Target{}, nil
}
