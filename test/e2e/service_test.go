package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// apiClient speaks HTTP over a unix socket with a keep-alive pool, as the
// docker CLI and SDK do.
func apiClient(sock string) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
}

// apiGet does one request and returns the response with its body read.
func apiGet(t *testing.T, c *http.Client, method, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://skiff"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp, string(b)
}

// checkPing checks /_ping's answer and the headers clients negotiate with.
func checkPing(t *testing.T, c *http.Client) {
	t.Helper()
	for _, method := range []string{"GET", "HEAD"} {
		resp, body := apiGet(t, c, method, "/_ping")
		want := map[string]string{"Api-Version": "1.51", "Ostype": "linux", "Docker-Experimental": "false",
			"Builder-Version": "1", "Swarm": "inactive", "Cache-Control": "no-cache, no-store, must-revalidate", "Pragma": "no-cache"}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s /_ping: header %s = %q, want %q", method, k, got, v)
			}
		}
		if !strings.HasPrefix(resp.Header.Get("Server"), "skiff/") {
			t.Errorf("%s /_ping: Server = %q", method, resp.Header.Get("Server"))
		}
		wantBody := map[string]string{"GET": "OK", "HEAD": ""}[method]
		if resp.StatusCode != 200 || body != wantBody {
			t.Errorf("%s /_ping: %d %q, want 200 %q", method, resp.StatusCode, body, wantBody)
		}
	}
}

// waitSocket waits until something accepts connections on sock.
func waitSocket(t *testing.T, sock string, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("the service exited before listening on %s: %v", sock, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s", sock)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// background starts c and reports its end on the returned channel; the
// process group is killed when the test ends.
func background(t *testing.T, c *exec.Cmd) <-chan error {
	t.Helper()
	var out strings.Builder
	c.Stdout, c.Stderr = &out, &out
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := c.Wait()
		if err != nil {
			err = fmt.Errorf("%w; output:\n%s", err, out.String())
		}
		done <- err
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		t.Logf("service output:\n%s", out.String())
	})
	return done
}

func skipPodman(t *testing.T) {
	if suite.podman {
		t.Skip("skiff's service: podman's differs in defaults and headers")
	}
}

// skipRemote skips the remote modes: the service is the local side.
func skipRemote(t *testing.T, m *Mode) {
	if m.Remote {
		t.Skip("the service runs on the store itself; the remote modes exercise it throughout")
	}
}

// TestServiceDirect runs `skiff system service --time 0 unix://…` by hand.
func TestServiceDirect(t *testing.T) {
	skipPodman(t)
	forModes(t, func(t *testing.T, m *Mode) {
		skipRemote(t, m)
		sock := filepath.Join(m.tempDir(t), "skiff.sock")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cmd := m.localCmd(ctx, "system", "service", "--time", "0", "unix://"+sock)
		exited := background(t, cmd)
		waitSocket(t, sock, exited)

		fi, err := os.Lstat(sock)
		if err != nil || fi.Mode().Perm() != 0o600 || int(fi.Sys().(*syscall.Stat_t).Uid) != m.uid {
			t.Errorf("socket: %v %v, want mode 0600 owned by uid %d", fi.Mode(), err, m.uid)
		}
		c := apiClient(sock)
		checkPing(t, c)
		resp, body := apiGet(t, c, "GET", "/v1.51/version")
		var v struct{ ApiVersion, MinAPIVersion, Version string }
		if err := json.Unmarshal([]byte(body), &v); err != nil || resp.StatusCode != 200 {
			t.Fatalf("/v1.51/version: %d %q %v", resp.StatusCode, body, err)
		}
		if v.ApiVersion != resp.Header.Get("Api-Version") || v.ApiVersion != "1.51" {
			t.Errorf("/version ApiVersion %q, header %q: both must be 1.51", v.ApiVersion, resp.Header.Get("Api-Version"))
		}
		if resp, body := apiGet(t, c, "GET", "/v1.12/version"); resp.StatusCode != 400 || !strings.Contains(body, "too old") {
			t.Errorf("an old API version: %d %q", resp.StatusCode, body)
		}
		if resp, body := apiGet(t, c, "GET", "/v1.51/no/such/thing"); resp.StatusCode != 404 ||
			resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(body, `"message":"page not found"`) {
			t.Errorf("an unknown path: %d %q", resp.StatusCode, body)
		}
		time.Sleep(1500 * time.Millisecond)
		select {
		case err := <-exited:
			t.Fatalf("--time 0 exited: %v", err)
		default:
		}
		// SIGTERM: a graceful stop, exit 0, the socket removed.
		if err := syscall.Kill(cmd.Process.Pid, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("after SIGTERM: %v", err)
			}
		case <-time.After(defaultTimeout):
			t.Fatal("no exit after SIGTERM")
		}
		if _, err := os.Lstat(sock); !os.IsNotExist(err) {
			t.Errorf("socket left behind: %v", err)
		}
	})
}

// TestServiceRefusals: where the service will not listen, it says why
// and exits 125.
func TestServiceRefusals(t *testing.T) {
	skipPodman(t)
	forModes(t, func(t *testing.T, m *Mode) {
		skipRemote(t, m)
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"tcp://127.0.0.1:0"}, "without TLS"},
			{[]string{"--insecure-tcp", "tcp://0.0.0.0:2375"}, "only on a loopback address"},
			{[]string{"--tls-cert", "/x", "tcp://127.0.0.1:0"}, "missing --tls-key, --tls-client-ca"},
			{[]string{"unix://relative"}, "must be absolute"},
			{[]string{"--time", "-1"}, "--time must be 0"},
		} {
			res := m.run(t, append([]string{"system", "service"}, c.args...)...)
			wantErr(t, res, 125, c.want)
			if n := strings.Count(strings.TrimSpace(res.Stderr), "\n"); n != 0 {
				t.Errorf("refusal is not one line: %s", res)
			}
		}
	})
}

// activate runs `systemd-socket-activate -l sock skiff … system service
// --time N` as the mode's user. systemd-socket-activate passes only the
// environment named with -E. Like systemd, it replaces a stale socket file.
func (m *Mode) activate(t *testing.T, sock string, idle int) (*exec.Cmd, <-chan error) {
	t.Helper()
	if err := os.Remove(sock); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	args := []string{"-l", sock}
	for _, kv := range m.env() {
		args = append(args, "-E", kv)
	}
	args = append(args, suite.bin)
	args = append(args, m.localArgs()...)
	args = append(args, "system", "service", "--time", fmt.Sprint(idle))
	c := exec.Command("systemd-socket-activate", args...)
	c.Env = m.env()
	c.Dir = suite.work
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if m.Rootless {
		c.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(m.uid), Gid: uint32(m.gid), Groups: m.groups}
	}
	done := background(t, c)
	deadline := time.Now().Add(defaultTimeout)
	for {
		// Listening, not just bound: between bind and listen a connect
		// is refused. Probing with a connect would start the service.
		if unixListening(sock) {
			return c, done
		}
		if time.Now().After(deadline) {
			t.Fatalf("systemd-socket-activate did not listen on %s", sock)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// unixListening reports whether a unix socket bound at path is listening,
// from /proc/net/unix (flag __SO_ACCEPTCON, 0x10000).
func unixListening(path string) bool {
	data, err := os.ReadFile("/proc/net/unix")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 8 && f[7] == path {
			if flags, err := strconv.ParseUint(f[3], 16, 32); err == nil && flags&0x10000 != 0 {
				return true
			}
		}
	}
	return false
}

// TestServiceSocketActivation: an activated service answers, exits after
// its idle time, and a second activation on the same path answers the
// same client, whose pooled keep-alive connection spanned the exit.
func TestServiceSocketActivation(t *testing.T) {
	skipPodman(t)
	needTool(t, "systemd-socket-activate", "hack/install-deps.sh test (systemd)")
	forModes(t, func(t *testing.T, m *Mode) {
		skipRemote(t, m)
		sock := filepath.Join(m.tempDir(t), "act.sock")
		c := apiClient(sock)
		_, exited := m.activate(t, sock, 2)
		start := time.Now()
		checkPing(t, c)
		t.Logf("activation to first answer: %s", time.Since(start).Round(time.Millisecond))
		// Taken before the last request is sent, so before the service can
		// have started its idle timer: the exit comes at least 2s later.
		// Load can only stretch that, so only the lower bound is checked;
		// the upper one is the hang guard below.
		beforeLast := time.Now()
		if resp, _ := apiGet(t, c, "GET", "/v1.51/version"); resp.StatusCode != 200 {
			t.Fatalf("/version: %s", resp.Status)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("the service failed: %v", err)
			}
		case <-time.After(defaultTimeout):
			t.Fatal("the service did not exit when idle")
		}
		if idle := time.Since(beforeLast); idle < 2*time.Second {
			t.Errorf("exited %s after the last request was sent, before its idle time of 2s", idle)
		}
		// The same client, with the same pool, through a new activation.
		_, exited = m.activate(t, sock, 2)
		resp, body := apiGet(t, c, "GET", "/v1.51/_ping")
		if resp.StatusCode != 200 || body != "OK" {
			t.Fatalf("second activation: %d %q", resp.StatusCode, body)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("the second service failed: %v", err)
			}
		case <-time.After(defaultTimeout):
			t.Fatal("the second service did not exit when idle")
		}
	})
}
