package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeCA makes a CA with openssl in dir and issues a server certificate
// for 127.0.0.1 and a client certificate; it returns the file paths.
func makeCA(t *testing.T, dir, name string) (ca, serverCert, serverKey, clientCert, clientKey string) {
	t.Helper()
	run := func(args ...string) {
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	p := func(f string) string { return filepath.Join(dir, name+"-"+f) }
	ec := []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"}
	run(append(append([]string{"req", "-x509"}, ec...), "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "1", "-subj", "/CN="+name)...)
	issue := func(leaf, ext string) {
		if err := os.WriteFile(p(leaf+".ext"), []byte(ext), 0o644); err != nil {
			t.Fatal(err)
		}
		run(append(append([]string{"req"}, ec...), "-keyout", p(leaf+".key"), "-out", p(leaf+".csr"), "-subj", "/CN="+leaf)...)
		run("x509", "-req", "-in", p(leaf+".csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial",
			"-out", p(leaf+".pem"), "-days", "1", "-extfile", p(leaf+".ext"))
	}
	issue("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
	issue("client", "extendedKeyUsage=clientAuth\n")
	return p("ca.pem"), p("server.pem"), p("server.key"), p("client.pem"), p("client.key")
}

// TestRemoteTLS runs skiff against a tcp:// service with mutual TLS: with
// the client certificate from flags or from DOCKER_CERT_PATH it works;
// without one, or with one from another CA, the handshake refuses it.
func TestRemoteTLS(t *testing.T) {
	if suite.podman {
		t.Skip("skiff's TLS flags only")
	}
	needTool(t, "openssl", "hack/install-deps.sh test")
	t.Parallel()
	m := suite.modes[0].isolated(t)
	dir := m.tempDir(t)
	ca, srvCert, srvKey, cliCert, cliKey := makeCA(t, dir, "good")
	_, _, _, otherCert, otherKey := makeCA(t, dir, "other")
	if err := exec.Command("chown", "-R", fmt.Sprintf("%d:%d", m.uid, m.gid), dir).Run(); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	svc, err := m.launchService(dir, "tcp://"+addr,
		[]string{"--tls-cert", srvCert, "--tls-key", srvKey, "--tls-client-ca", ca},
		func() (net.Conn, error) { return net.Dial("tcp", addr) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.stop)
	url := "tcp://" + addr
	env := []string{"XDG_CONFIG_HOME=" + t.TempDir()}

	withFlags := []string{"--url", url, "--tls-ca", ca, "--tls-cert", cliCert, "--tls-key", cliKey}
	wantOut(t, clientRun(t, env, "", append(withFlags, "run", "--rm", image, "echo", "over-tls")...), "over-tls")
	wantCode(t, clientRun(t, env, "", append(withFlags, "ps")...), 0)

	// Docker's variables: DOCKER_CERT_PATH with ca.pem, cert.pem, key.pem.
	certDir := t.TempDir()
	for src, dst := range map[string]string{ca: "ca.pem", cliCert: "cert.pem", cliKey: "key.pem"} {
		if err := copyFile(src, filepath.Join(certDir, dst), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dockerEnv := append(env, "DOCKER_CERT_PATH="+certDir, "DOCKER_TLS_VERIFY=1")
	wantCode(t, clientRun(t, dockerEnv, "", "--url", url, "ps"), 0)
	wantCode(t, clientRun(t, append(dockerEnv, "CONTAINER_HOST="+url), "", "ps"), 0)

	// Refused at the handshake: no client certificate, one from another
	// CA, and plain HTTP.
	for _, args := range [][]string{
		{"--url", url, "--tls-ca", ca},
		{"--url", url, "--tls-ca", ca, "--tls-cert", otherCert, "--tls-key", otherKey},
		{"--url", url},
	} {
		res := clientRun(t, env, "", append(args, "ps")...)
		wantCode(t, res, 125)
		if low := strings.ToLower(res.Stderr); !strings.Contains(low, "tls") && !strings.Contains(low, "https") {
			t.Errorf("want a TLS error: %s", res)
		}
		if strings.Contains(res.Stdout, "CONTAINER ID") {
			t.Errorf("the service answered a client it must refuse: %s", res)
		}
	}
	// A CA that did not sign the server's certificate: the client refuses.
	res := clientRun(t, env, "", "--url", url, "--tls-ca", filepath.Join(dir, "other-ca.pem"), "--tls-cert", cliCert, "--tls-key", cliKey, "ps")
	wantErr(t, res, 125, "certificate")

	dockerOverTLS(t, addr, ca, cliCert, cliKey, otherCert, otherKey)
}

// dockerOverTLS drives the real docker CLI against the same service: with
// the client certificate it lists containers; without one, or with one
// from another CA, the service refuses it at the handshake.
func dockerOverTLS(t *testing.T, addr, ca, cert, key, otherCert, otherKey string) {
	t.Helper()
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Fatalf("the docker CLI is needed for this test: %v", err)
	}
	run := func(args ...string) (string, error) {
		c := exec.Command(docker, append([]string{"-H", "tcp://" + addr}, args...)...)
		c.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
		out, err := c.CombinedOutput()
		return string(out), err
	}
	if out, err := run("--tlsverify", "--tlscacert", ca, "--tlscert", cert, "--tlskey", key, "ps", "-a"); err != nil || !strings.Contains(out, "CONTAINER ID") {
		t.Errorf("docker over mutual TLS: want a container list, got %v: %s", err, out)
	}
	for name, args := range map[string][]string{
		"no client certificate": {"--tlsverify", "--tlscacert", ca, "ps"},
		"another CA's client":   {"--tlsverify", "--tlscacert", ca, "--tlscert", otherCert, "--tlskey", otherKey, "ps"},
	} {
		out, err := run(args...)
		if err == nil || strings.Contains(out, "CONTAINER ID") {
			t.Errorf("docker with %s: want a refusal, got %v: %s", name, err, out)
		}
	}
}
