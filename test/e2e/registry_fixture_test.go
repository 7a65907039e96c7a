package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// registryBin is Debian's docker-registry (CNCF distribution 2.x).
const registryBin = "/usr/bin/docker-registry"

// Test credentials of the auth registry.
const (
	regUser     = "skiffuser"
	regPassword = "s3cret-pass"
)

// registryMode is how a test registry is reached.
type registryMode int

const (
	// regHTTP is plain HTTP; clients must be told it is insecure
	// (registries.conf insecure=true, or --tls-verify=false).
	regHTTP registryMode = iota
	// regTLS serves HTTPS with a certificate of a CA the test makes;
	// clients trust it through --cert-dir.
	regTLS
	// regAuth is regTLS plus htpasswd authentication.
	regAuth
)

// registry is one docker-registry process on 127.0.0.1.
type registry struct {
	Host    string // 127.0.0.1:PORT
	CertDir string // holds ca.crt only; for --cert-dir (TLS modes)
	// RegistriesConf declares Host insecure (HTTP mode), for
	// CONTAINERS_REGISTRIES_CONF.
	RegistriesConf string
	dir            string
	cmd            *exec.Cmd
	exited         chan struct{}
}

// startRegistry starts a registry in mode and stops it when t (and all its
// subtests) end. Files the engine reads are world-readable so that the
// rootless mode can use them too.
func startRegistry(t *testing.T, mode registryMode) *registry {
	t.Helper()
	needTool(t, registryBin, "hack/install-deps.sh test (docker-registry)")
	dir, err := os.MkdirTemp(suite.work, "registry-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &registry{dir: dir, exited: make(chan struct{})}
	r.Host = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n", filepath.Join(dir, "data"))
	fmt.Fprintf(&cfg, "http:\n  addr: %s\n", r.Host)
	if mode == regTLS || mode == regAuth {
		if err := r.makeCerts(); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&cfg, "  tls:\n    certificate: %s\n    key: %s\n", filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key"))
	}
	if mode == regAuth {
		hash, err := bcrypt.GenerateFromPassword([]byte(regPassword), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		htpasswd := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(htpasswd, []byte(regUser+":"+string(hash)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&cfg, "auth:\n  htpasswd:\n    realm: skiff-test\n    path: %s\n", htpasswd)
	}
	conf := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(conf, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r.RegistriesConf = filepath.Join(dir, "registries.conf")
	rc := fmt.Sprintf("[[registry]]\nlocation = %q\ninsecure = true\n", r.Host)
	if err := os.WriteFile(r.RegistriesConf, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "registry.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	r.cmd = exec.Command(registryBin, "serve", conf)
	// Its configuration is conf alone: distribution also reads REGISTRY_*
	// variables, which the caller's environment must not slip in.
	r.cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + dir}
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting docker-registry: %v", err)
	}
	go func() { _ = r.cmd.Wait(); close(r.exited) }()
	t.Cleanup(r.stop)
	if err := r.waitReady(mode); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "registry.log"))
		t.Fatalf("%v\nregistry log:\n%s", err, log)
	}
	return r
}

// makeCerts makes a CA and a server certificate for 127.0.0.1 with openssl,
// and a cert dir holding only the CA.
func (r *registry) makeCerts() error {
	ext := filepath.Join(r.dir, "san.ext")
	if err := os.WriteFile(ext, []byte("subjectAltName=IP:127.0.0.1,DNS:localhost\n"), 0o644); err != nil {
		return err
	}
	ec := []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"}
	steps := [][]string{
		append(append([]string{"req", "-x509"}, ec...), "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=skiff test CA"),
		append(append([]string{"req"}, ec...), "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"),
		{"x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
			"-out", "server.crt", "-days", "2", "-extfile", ext},
	}
	for _, args := range steps {
		c := exec.Command("openssl", args...)
		c.Dir = r.dir
		if out, err := c.CombinedOutput(); err != nil {
			return fmt.Errorf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	r.CertDir = filepath.Join(r.dir, "certs")
	if err := os.MkdirAll(r.CertDir, 0o755); err != nil {
		return err
	}
	ca, err := os.ReadFile(filepath.Join(r.dir, "ca.crt"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(r.CertDir, "ca.crt"), ca, 0o644)
}

// waitReady polls /v2/ until the registry answers (401 counts: it is up).
func (r *registry) waitReady(mode registryMode) error {
	client := &http.Client{Timeout: time.Second}
	url := "http://" + r.Host + "/v2/"
	if mode != regHTTP {
		pool := x509.NewCertPool()
		ca, err := os.ReadFile(filepath.Join(r.CertDir, "ca.crt"))
		if err != nil {
			return err
		}
		pool.AppendCertsFromPEM(ca)
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
		url = "https://" + r.Host + "/v2/"
	}
	deadline := time.Now().Add(defaultTimeout)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		select {
		case <-r.exited:
			return fmt.Errorf("docker-registry exited at once")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("docker-registry on %s not ready within %s: %v", r.Host, defaultTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the registry process and removes its files.
func (r *registry) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-r.exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
			<-r.exited
		}
	}
	os.RemoveAll(r.dir)
}

// regArgs are the flags that let m reach r: the CA for TLS registries; for
// the HTTP one --tls-verify=false, except in local modes, which are told
// through registries.conf (see runReg) to check that config is honoured.
func (m *Mode) regArgs(r *registry) []string {
	if r.CertDir != "" {
		return []string{"--cert-dir", r.CertDir}
	}
	if m.Remote {
		return []string{"--tls-verify=false"}
	}
	return nil
}

// runReg is run with CONTAINERS_REGISTRIES_CONF pointing at r's
// registries.conf (which marks r insecure). A remote mode's service does not
// see the variable; regArgs covers it there.
func (m *Mode) runReg(t testing.TB, r *registry, o runOpts, args ...string) Result {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 2 * defaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	c := m.cmd(ctx, args...)
	c.Env = append(c.Env, "CONTAINERS_REGISTRIES_CONF="+r.RegistriesConf)
	var stdout, stderr strings.Builder
	c.Stdout, c.Stderr, c.Stdin = &stdout, &stderr, o.stdin
	start := time.Now()
	err := c.Run()
	res := Result{Args: append([]string{filepath.Base(suite.bin)}, args...), Duration: time.Since(start)}
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	res.Code = exitCode(c, err)
	if ctx.Err() != nil {
		res.Code = -1
		t.Errorf("timed out after %s: %s", o.timeout, res)
	}
	t.Logf("%s", res)
	return res
}

// mustReg is runReg for a call that has to succeed.
func (m *Mode) mustReg(t testing.TB, r *registry, args ...string) Result {
	t.Helper()
	res := m.runReg(t, r, runOpts{}, args...)
	if res.Code != 0 {
		t.Fatalf("command failed: %s", res)
	}
	return res
}
