package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue makes a leaf certificate; server ones are valid for 127.0.0.1.
func (ca *testCA) issue(t *testing.T, name string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca, other := newCA(t, "skiff test CA"), newCA(t, "another CA")
	srvCert, srvKey := ca.issue(t, "server", true)
	files := TLSFiles{
		Cert: writeFile(t, dir, "server.pem", srvCert), Key: writeFile(t, dir, "server-key.pem", srvKey),
		ClientCA: writeFile(t, dir, "ca.pem", ca.pem),
	}
	l, err := Listen(Endpoint{"tcp", "127.0.0.1:0"}, ListenOptions{TLS: files})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Listeners: []net.Listener{l}, Handler: testRoutes()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	defer func() { cancel(); <-done }()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.pem)
	pair := func(c, k []byte) []tls.Certificate {
		kp, err := tls.X509KeyPair(c, k)
		if err != nil {
			t.Fatal(err)
		}
		return []tls.Certificate{kp}
	}
	goodCert, goodKey := ca.issue(t, "client", false)
	otherCert, otherKey := other.issue(t, "intruder", false)

	// ping does one request over a fresh TLS connection.
	ping := func(cfg *tls.Config) (string, error) {
		cfg.RootCAs = roots
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: hangTimeout}
		defer client.CloseIdleConnections()
		resp, err := client.Get("https://" + l.Addr().String() + "/_ping")
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.Proto + " " + string(b), err
	}
	if got, err := ping(&tls.Config{Certificates: pair(goodCert, goodKey)}); err != nil || got != "HTTP/1.1 OK" {
		t.Fatalf("client with a good certificate: %q %v", got, err)
	}
	if got, err := ping(&tls.Config{Certificates: pair(goodCert, goodKey), NextProtos: []string{"h2", "http/1.1"}}); err != nil || got != "HTTP/1.1 OK" {
		t.Fatalf("a client offering h2 must get HTTP/1.1 (hijacking needs it): %q %v", got, err)
	}

	// Refusals happen in the handshake: check them on a bare TLS
	// connection, where no HTTP request was ever written.
	refused := []struct {
		name   string
		cfg    *tls.Config
		errHas string
	}{
		{"no client certificate", &tls.Config{}, "certificate required"},
		// Sent whatever CAs the server names as acceptable.
		{"certificate from another CA", &tls.Config{GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return &pair(otherCert, otherKey)[0], nil
		}}, "unknown certificate authority"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.RootCAs = roots
			conn, err := tls.Dial("tcp", l.Addr().String(), c.cfg)
			if err == nil {
				// TLS 1.3 clients learn of the refusal on their first read.
				_ = conn.SetReadDeadline(time.Now().Add(hangTimeout))
				_, err = conn.Read(make([]byte, 1))
				conn.Close()
			}
			if err == nil || !strings.Contains(err.Error(), c.errHas) {
				t.Fatalf("got %v, want a handshake failure containing %q", err, c.errHas)
			}
			if _, err := ping(c.cfg); err == nil {
				t.Fatal("an HTTP request got through")
			}
		})
	}
}

func TestTLSConfigErrors(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t, "ca")
	c, k := ca.issue(t, "server", true)
	good := TLSFiles{Cert: writeFile(t, dir, "c.pem", c), Key: writeFile(t, dir, "k.pem", k), ClientCA: writeFile(t, dir, "ca.pem", ca.pem)}
	cfg, err := TLSConfig(good)
	if err != nil {
		t.Fatal(err)
	}
	// Go's client can no longer offer TLS 1.1, so the floor is checked on
	// the configuration itself.
	if cfg.MinVersion != tls.VersionTLS12 || cfg.ClientAuth != tls.RequireAndVerifyClientCert || len(cfg.NextProtos) != 1 {
		t.Errorf("config: min %x, client auth %v, protos %v", cfg.MinVersion, cfg.ClientAuth, cfg.NextProtos)
	}
	bad := good
	bad.ClientCA = writeFile(t, dir, "empty.pem", []byte("not pem"))
	if _, err := TLSConfig(bad); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("empty CA: %v", err)
	}
	bad = good
	bad.Key = good.Cert
	if _, err := TLSConfig(bad); err == nil || !strings.Contains(err.Error(), "loading the TLS certificate") {
		t.Errorf("mismatched key: %v", err)
	}
}
