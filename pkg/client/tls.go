package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// TLSOptions are the files of a TLS connection to a tcp:// service. With
// none set the connection is plain HTTP (which the service allows only on
// loopback, with --insecure-tcp).
type TLSOptions struct {
	CertFile string // client certificate, for mutual TLS
	KeyFile  string // its key
	CAFile   string // CA that signed the service's certificate; empty: system roots
}

// Enabled reports whether any TLS file is set.
func (o TLSOptions) Enabled() bool { return o.CertFile != "" || o.KeyFile != "" || o.CAFile != "" }

// TLSFromEnv reads Docker's variables: with DOCKER_TLS_VERIFY set to a
// non-empty value, the files ca.pem, cert.pem and key.pem in
// DOCKER_CERT_PATH (default ~/.docker). getenv is os.Getenv in production.
func TLSFromEnv(getenv func(string) string) TLSOptions {
	if getenv("DOCKER_TLS_VERIFY") == "" {
		return TLSOptions{}
	}
	dir := getenv("DOCKER_CERT_PATH")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".docker")
	}
	return TLSOptions{
		CAFile:   filepath.Join(dir, "ca.pem"),
		CertFile: filepath.Join(dir, "cert.pem"),
		KeyFile:  filepath.Join(dir, "key.pem"),
	}
}

// config builds the tls.Config for serverName.
func (o TLSOptions) config(serverName string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading the CA certificate: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificate in %s: %w", o.CAFile, errdefs.ErrInvalidArg)
		}
		cfg.RootCAs = pool
	}
	if (o.CertFile == "") != (o.KeyFile == "") {
		return nil, fmt.Errorf("a client certificate needs both --tls-cert and --tls-key: %w", errdefs.ErrInvalidArg)
	}
	if o.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(o.CertFile, o.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading the client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}
