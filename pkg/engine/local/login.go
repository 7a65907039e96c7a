package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/types"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Login asks the registry's /v2/ endpoint to accept the credentials, with
// the TLS settings pulls use: registries.conf (its path from
// CONTAINERS_REGISTRIES_CONF as libimage reads it), certs.d or CertDir, and
// TLSVerify. Nothing is written anywhere.
func (e *images) Login(ctx context.Context, opts engine.LoginOptions) error {
	reg := opts.Registry
	if reg == "" || strings.ContainsAny(reg, "/@ ") {
		return fmt.Errorf("login needs a registry as host[:port], not %q: %w", reg, errdefs.ErrInvalidArg)
	}
	if opts.Username == "" || opts.Password == "" {
		return fmt.Errorf("logging in to %s needs a username and a password: %w", reg, errdefs.ErrInvalidArg)
	}
	sys := &types.SystemContext{DockerCertPath: opts.CertDir}
	if p, ok := os.LookupEnv("CONTAINERS_REGISTRIES_CONF"); ok {
		sys.SystemRegistriesConfPath = p
	}
	if opts.TLSVerify != nil {
		sys.DockerInsecureSkipTLSVerify = types.NewOptionalBool(!*opts.TLSVerify)
	}
	err := docker.CheckAuth(ctx, sys, opts.Username, opts.Password, reg)
	if err == nil {
		return nil
	}
	var refused docker.ErrUnauthorizedForCredentials
	if errors.As(err, &refused) {
		return fmt.Errorf("logging in to %s: %v: %w", reg, err, errdefs.ErrAuthRequired)
	}
	return fmt.Errorf("logging in to %s: %w", reg, err)
}
