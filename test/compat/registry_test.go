package compat

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// registryBin is Debian's docker-registry (CNCF distribution 2.x), as in
// test/e2e's fixture.
const registryBin = "/usr/bin/docker-registry"

// Credentials of the auth registry. The htpasswd line is a bcrypt hash of
// regPassword made once (test/compat does not depend on x/crypto).
const (
	regUser     = "skiffuser"
	regPassword = "s3cret-pass"
	regHtpasswd = regUser + ":$2a$04$PkrhyyaYEe5sWgTKDojZwuGzMQFOOY0pgFwXUT2uTxlu6E13vyy5y\n"
)

// testRegistry is one docker-registry on 127.0.0.1, plain HTTP (the
// services are told it is insecure through registries.conf), optionally
// with htpasswd authentication, which docker-registry allows without TLS.
type testRegistry struct {
	host   string
	dir    string
	cmd    *exec.Cmd
	exited chan struct{}
}

func startRegistry(work, name string, auth bool) (*testRegistry, error) {
	if _, err := os.Stat(registryBin); err != nil {
		return nil, fmt.Errorf("docker-registry is not installed (hack/install-deps.sh test): %w", err)
	}
	r := &testRegistry{dir: filepath.Join(work, name), exited: make(chan struct{})}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r.host = l.Addr().String()
	l.Close()
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n", filepath.Join(r.dir, "data"))
	fmt.Fprintf(&cfg, "http:\n  addr: %s\n  secret: skiff-compat\n", r.host)
	if auth {
		htpasswd := filepath.Join(r.dir, "htpasswd")
		if err := os.WriteFile(htpasswd, []byte(regHtpasswd), 0o600); err != nil {
			return nil, err
		}
		fmt.Fprintf(&cfg, "auth:\n  htpasswd:\n    realm: skiff-compat\n    path: %s\n", htpasswd)
	}
	conf := filepath.Join(r.dir, "config.yml")
	if err := os.WriteFile(conf, []byte(cfg.String()), 0o600); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(r.dir, "registry.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	r.cmd = exec.Command(registryBin, "serve", conf)
	// Its configuration is conf alone: distribution also reads REGISTRY_*
	// variables, which the caller's environment must not slip in.
	r.cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + r.dir}
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := r.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting docker-registry: %w", err)
	}
	go func() { _ = r.cmd.Wait(); close(r.exited) }()
	if err := r.waitReady(); err != nil {
		r.stop()
		return nil, err
	}
	return r, nil
}

// waitReady polls /v2/ until the registry answers (401 counts: it is up).
func (r *testRegistry) waitReady() error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(hangTimeout)
	for {
		resp, err := client.Get("http://" + r.host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		select {
		case <-r.exited:
			log, _ := os.ReadFile(filepath.Join(r.dir, "registry.log"))
			return fmt.Errorf("docker-registry exited at once:\n%s", log)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("docker-registry on %s not ready within %s: %v", r.host, hangTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *testRegistry) stop() {
	if r == nil || r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		<-r.exited
	}
}

// startRegistries starts the plain and the auth registry and writes the
// registries.conf (world-readable, for the rootless service) that marks
// both insecure: the suite's registries.conf (configEnv).
func (s *suiteState) startRegistries() error {
	var err error
	if s.reg, err = startRegistry(s.work, "registry", false); err != nil {
		return err
	}
	if s.authReg, err = startRegistry(s.work, "registry-auth", true); err != nil {
		return err
	}
	s.regConf = filepath.Join(s.work, "registries.conf")
	var rc strings.Builder
	for _, h := range []string{s.reg.host, s.authReg.host} {
		fmt.Fprintf(&rc, "[[registry]]\nlocation = %q\ninsecure = true\n\n", h)
	}
	return os.WriteFile(s.regConf, []byte(rc.String()), 0o644)
}
