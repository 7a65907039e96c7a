package command

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/engine/local"
	"github.com/skiffcontainers/skiff/pkg/engine/remote"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// GlobalOptions are the root command's flags.
type GlobalOptions struct {
	GraphRoot     string
	RunRoot       string
	StorageDriver string
	Runtime       string
	LogLevel      string

	// URL, Connection and the TLS files select a remote service; see
	// ResolveTarget for how they combine with the environment.
	URL        string
	Connection string
	TLSCert    string
	TLSKey     string
	TLSCA      string
}

// Env is what every command receives: the global options and the engine,
// opened on first use so that `--help` and flag errors stay instant.
type Env struct {
	Global GlobalOptions
	eng    engine.Engine
	// target and probed cache the resolved target; client is the one the
	// DOCKER_HOST probe connected, reused by the engine.
	target    *Target
	targetErr error
	probed    *client.Client
}

// Engine opens the engine on first use: a remote one when Target names a
// service, else the local one.
func (e *Env) Engine(ctx context.Context) (engine.Engine, error) {
	if e.eng != nil {
		return e.eng, nil
	}
	t, err := e.Target(ctx)
	if err != nil {
		return nil, err
	}
	if t.Local() {
		return e.LocalEngine(ctx)
	}
	c := e.probed
	if c == nil {
		if c, err = e.client(t); err != nil {
			return nil, err
		}
	}
	e.warnIgnored(t)
	logrus.Debugf("using the skiff service at %s (%s)", c.URI(), t.Source)
	e.eng = remote.New(c)
	return e.eng, nil
}

// Target resolves where commands go (see ResolveTarget), once. A target
// from DOCKER_HOST is probed: it stands only if a skiff service answers
// the native ping; otherwise the target is local.
func (e *Env) Target(ctx context.Context) (Target, error) {
	if e.target != nil || e.targetErr != nil {
		return e.targetOrZero(), e.targetErr
	}
	t, err := ResolveTarget(e.Global, os.Getenv, LoadConnections)
	if err == nil && t.Probe {
		t = e.probe(ctx, t)
	}
	e.target, e.targetErr = &t, err
	return t, err
}

func (e *Env) targetOrZero() Target {
	if e.target == nil {
		return Target{}
	}
	return *e.target
}

// probe keeps a DOCKER_HOST target when a skiff service answers there and
// returns the local target otherwise.
func (e *Env) probe(ctx context.Context, t Target) Target {
	c, err := e.client(t)
	if err == nil {
		if _, err = c.Ping(ctx); err == nil {
			e.probed = c
			return t
		}
		c.Close()
	}
	logrus.Debugf("DOCKER_HOST=%s is not used: %v; working locally", t.URI, err)
	return Target{}
}

// Remote reports whether commands go to a service.
func (e *Env) Remote(ctx context.Context) bool {
	t, err := e.Target(ctx)
	return err == nil && !t.Local()
}

// warnIgnored says which local-storage flags a remote target ignores.
func (e *Env) warnIgnored(t Target) {
	g := e.Global
	for _, f := range []struct{ name, val string }{
		{"--root", g.GraphRoot}, {"--runroot", g.RunRoot}, {"--storage-driver", g.StorageDriver}, {"--runtime", g.Runtime},
	} {
		if f.val != "" {
			logrus.Warnf("%s is ignored: commands go to the service at %s (%s)", f.name, t.URI, t.Source)
		}
	}
}

// client connects to the service t names.
func (e *Env) client(t Target) (*client.Client, error) {
	g := e.Global
	opts := client.Options{TLS: client.TLSOptions{CertFile: g.TLSCert, KeyFile: g.TLSKey, CAFile: g.TLSCA}}
	if !opts.TLS.Enabled() {
		opts.TLS = client.TLSFromEnv(os.Getenv)
	}
	opts.SSH = client.SSHOptions{
		Identity:      t.Identity,
		ExtraArgs:     strings.Fields(os.Getenv("SKIFF_SSH_OPTIONS")),
		RemoteCommand: os.Getenv("SKIFF_SSH_REMOTE_COMMAND"),
	}
	if opts.SSH.Identity == "" {
		opts.SSH.Identity = os.Getenv("SKIFF_SSH_IDENTITY")
	}
	c, err := client.New(t.URI, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Source, err)
	}
	return c, nil
}

// LocalEngine opens the in-process engine whatever the remote settings
// say; `skiff system service` serves it.
func (e *Env) LocalEngine(ctx context.Context) (engine.Engine, error) {
	if e.eng != nil {
		return e.eng, nil
	}
	eng, err := local.New(ctx, local.Options{
		GraphRoot: e.Global.GraphRoot, RunRoot: e.Global.RunRoot, StorageDriver: e.Global.StorageDriver,
		Runtime: e.Global.Runtime, LogLevel: e.Global.LogLevel,
	})
	if err != nil {
		return nil, err
	}
	e.eng = eng
	return eng, nil
}

// Containers is a shortcut for Engine(ctx).Containers().
func (e *Env) Containers(ctx context.Context) (engine.ContainerEngine, error) {
	eng, err := e.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Containers(), nil
}

// Images is a shortcut for Engine(ctx).Images().
func (e *Env) Images(ctx context.Context) (engine.ImageEngine, error) {
	eng, err := e.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Images(), nil
}

// Shutdown closes the engine if it was opened.
func (e *Env) Shutdown(ctx context.Context) error {
	if e.eng == nil {
		return nil
	}
	return e.eng.Shutdown(ctx)
}

// Invalid makes a bad-input error (exit code 125).
func Invalid(format string, args ...any) error {
	return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf(format, args...))
}

// ReportErrors prints each failed item's error and the successful ones'
// names, the way Docker's bulk commands do, and returns the last error.
func ReportErrors(reports []engine.ActionReport, printOK func(engine.ActionReport)) error {
	var last error
	for _, r := range reports {
		if r.Err != nil {
			if last != nil {
				printErr(last)
			}
			last = r.Err
			continue
		}
		if printOK != nil {
			printOK(r)
		}
	}
	return last
}
