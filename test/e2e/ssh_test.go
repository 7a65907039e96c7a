package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sshServer is an sshd the test runs as the rootless test user on a
// loopback port, with a host key and an authorized key it generated. Run
// unprivileged, sshd can only log in its own user, which is all we need,
// and it touches nothing of the machine's ssh set-up.
type sshServer struct {
	port     int
	identity string // the client's private key (root-owned, 0600)
	cmd      *exec.Cmd
}

// startSSHD starts the server for m's user.
func startSSHD(t *testing.T, m *Mode) *sshServer {
	t.Helper()
	sshd := needTool(t, "/usr/sbin/sshd", "hack/install-deps.sh test (openssh-server)")
	needTool(t, "ssh", "hack/install-deps.sh test (openssh-client)")
	userDir := m.tempDir(t) // the server's files, owned by its user
	clientDir := t.TempDir()
	keygen := func(path, owner string) {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", owner, "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
	}
	hostKey := filepath.Join(userDir, "host_ed25519")
	keygen(hostKey, "e2e-host")
	identity := filepath.Join(clientDir, "id_ed25519")
	keygen(identity, "e2e-client")
	pub, err := os.ReadFile(identity + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authKeys := filepath.Join(userDir, "authorized_keys")
	m.writeFile(t, authKeys, string(pub))
	for _, f := range []string{hostKey, hostKey + ".pub"} {
		if err := os.Chown(f, m.uid, m.gid); err != nil {
			t.Fatal(err)
		}
	}
	port := freePort(t)
	config := filepath.Join(userDir, "sshd_config")
	m.writeFile(t, config, strings.Join([]string{
		"Port " + strconv.Itoa(port),
		"ListenAddress 127.0.0.1",
		"HostKey " + hostKey,
		"AuthorizedKeysFile " + authKeys,
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM no",
		// The files live below /tmp, which StrictModes refuses.
		"StrictModes no",
		"PidFile " + filepath.Join(userDir, "sshd.pid"),
		"AllowUsers " + suite.user,
		"",
	}, "\n"))
	var logBuf bytes.Buffer
	c := exec.Command(sshd, "-D", "-e", "-f", config)
	c.Stdout, c.Stderr = &logBuf, &logBuf
	c.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + m.home}
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true,
		Credential: &syscall.Credential{Uid: uint32(m.uid), Gid: uint32(m.gid), Groups: m.groups}}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = c.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		}
		if t.Failed() {
			t.Logf("sshd log:\n%s", logBuf.String())
		}
	})
	deadline := time.Now().Add(defaultTimeout)
	for {
		if conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			conn.Close()
			break
		}
		select {
		case <-exited:
			t.Fatalf("sshd exited: %s", logBuf.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not listen on %d: %s", port, logBuf.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &sshServer{port: port, identity: identity, cmd: c}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// clientRun runs skiff as root with env on top of a clean environment,
// the way a user on another machine would.
func clientRun(t *testing.T, env []string, stdin string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, suite.bin, args...)
	base := append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + suite.clientHome, "LANG=C.UTF-8"},
		suite.config.env()...)
	c.Env = append(base, env...)
	c.Dir = suite.work
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if stdin != "" {
		c.Stdin = strings.NewReader(stdin)
	}
	start := time.Now()
	err := c.Run()
	res := Result{Args: append([]string{"skiff"}, args...), Duration: time.Since(start),
		Stdout: stdout.String(), Stderr: stderr.String(), Code: exitCode(c, err)}
	t.Logf("%s", res)
	return res
}

// TestSSHRemote runs commands through ssh:// to a service of the rootless
// test user on this machine: by URL, by a named connection with its own
// identity, and by the default connection.
func TestSSHRemote(t *testing.T) {
	if suite.podman {
		t.Skip("skiff's ssh transport only")
	}
	var src *Mode
	for _, m := range suite.modes {
		if m.Rootless {
			src = m
			break
		}
	}
	if src == nil {
		t.Skip("needs a rootless mode in SKIFF_E2E_MODES (the ssh user is the test user)")
	}
	t.Parallel()
	m := (&Mode{Name: "rootless-remote", Rootless: true, Remote: true, uid: src.uid, gid: src.gid,
		groups: src.groups, home: src.home, dir: src.dir, xdg: src.xdg}).isolated(t)
	srv := startSSHD(t, m)
	uri := fmt.Sprintf("ssh://%s@127.0.0.1:%d%s", suite.user, srv.port, m.svc.sock)
	sshEnv := []string{
		// Only in this test: an sshd whose host key nobody has seen before.
		"SKIFF_SSH_OPTIONS=-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
		"SKIFF_SSH_REMOTE_COMMAND=" + suite.bin,
	}
	byURL := append([]string{"SKIFF_SSH_IDENTITY=" + srv.identity}, sshEnv...)

	wantOut(t, clientRun(t, byURL, "", "--url", uri, "run", "--rm", image, "echo", "hi"), "hi")
	wantCode(t, clientRun(t, byURL, "", "--url", uri, "run", "--rm", image, "sh", "-c", "exit 3"), 3)
	wantOut(t, clientRun(t, byURL, "piped\n", "--url", uri, "run", "--rm", "-i", image, "cat"), "piped")
	name := cname(t)
	m.cleanup(t, name)
	clientRun(t, byURL, "", "--url", uri, "run", "-d", "--name", name, image, "sleep", "100")
	ps := clientRun(t, byURL, "", "--url", uri, "ps", "--format", "{{.Names}}")
	wantCode(t, ps, 0)
	if !strings.Contains(ps.Stdout, name) {
		t.Errorf("ps over ssh does not list %s: %s", name, ps)
	}
	wantErr(t, clientRun(t, byURL, "", "--url", uri, "inspect", "--type", "container", "no-such-"+name), 125, "no such container")

	// Named connections live in the config dir and carry their identity.
	conf := append([]string{"XDG_CONFIG_HOME=" + t.TempDir()}, sshEnv...)
	wantCode(t, clientRun(t, conf, "", "system", "connection", "add", "--identity", srv.identity, "e2e", uri), 0)
	wantCode(t, clientRun(t, conf, "", "system", "connection", "add", "other", "unix:///nonexistent.sock"), 0)
	ls := clientRun(t, conf, "", "system", "connection", "ls", "--format", "{{.Name}} {{.Default}}")
	wantOut(t, ls, "e2e true\nother false")
	ps = clientRun(t, conf, "", "--connection", "e2e", "ps", "-a", "--format", "{{.Names}}")
	if ps.Code != 0 || !strings.Contains(ps.Stdout, name) {
		t.Errorf("ps over --connection: %s", ps)
	}
	// The first connection became the default: plain commands go to it.
	wantOut(t, clientRun(t, conf, "", "exec", name, "echo", "via-default"), "via-default")
	// --connection beats the default, and a dead service is a clear error.
	res := clientRun(t, conf, "", "--connection", "other", "ps")
	wantErr(t, res, 125, "cannot connect to the skiff service at unix:///nonexistent.sock")
	wantCode(t, clientRun(t, conf, "", "system", "connection", "rm", "e2e"), 0)
	wantErr(t, clientRun(t, conf, "", "--connection", "e2e", "ps"), 125, `no connection named "e2e"`)
}

// TestRemoteSettingsPrecedence checks the environment side of the target
// precedence on a unix service: CONTAINER_HOST, DOCKER_HOST, and a
// CONTAINER_HOST that is not skiff.
func TestRemoteSettingsPrecedence(t *testing.T) {
	if suite.podman {
		t.Skip("skiff's remote settings only")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		if !m.Remote {
			t.Skip("needs a remote mode's service")
		}
		sock := "unix://" + m.svc.sock
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "create", "--name", name, image, "true")
		// The client is root, which may use the test user's socket too.
		env := []string{"XDG_CONFIG_HOME=" + t.TempDir()}
		for _, kv := range [][]string{
			{"CONTAINER_HOST=" + sock},
			{"DOCKER_HOST=" + sock},
			{"CONTAINER_HOST=" + sock, "DOCKER_HOST=unix:///nonexistent.sock"},
		} {
			res := clientRun(t, append(env, kv...), "", "container", "exists", name)
			wantCode(t, res, 0)
		}
		// --url wins over the environment.
		res := clientRun(t, append(env, "CONTAINER_HOST=unix:///nonexistent.sock"), "", "--url", sock, "container", "exists", name)
		wantCode(t, res, 0)
		// A CONTAINER_HOST that answers but is not skiff is named as such
		// (a DOCKER_HOST like it leaves skiff local: dockerhost_test.go).
		other := filepath.Join(t.TempDir(), "other.sock")
		l, err := net.Listen("unix", other)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go serveNotFound(l)
		res = clientRun(t, append(env, "CONTAINER_HOST=unix://"+other), "", "ps")
		wantErr(t, res, 125, "unix://"+other+" is not a skiff service: it answered POST /skiff/v1/containers/list with 404 Not Found")
	})
}

// serveNotFound answers every HTTP request on l with 404, as a Docker API
// peer without skiff's routes would.
func serveNotFound(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			buf := make([]byte, 4096)
			_ = conn.SetReadDeadline(time.Now().Add(defaultTimeout))
			if _, err := conn.Read(buf); err != nil {
				return
			}
			_, _ = conn.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"))
		}()
	}
}
