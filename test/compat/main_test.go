package compat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// image is the fixture every case runs.
const image = "localhost/busybox:latest"

// mode is one service: as root or as the test user, with its own store.
type mode struct {
	name     string
	rootless bool
	uid, gid int
	groups   []uint32
	home     string // HOME: the suite's (makeHome), never the user's own
	dir      string
	root     string
	runroot  string
	sock     string
	service  *exec.Cmd
	logPath  string
}

type suiteState struct {
	work      string
	bin       string
	rootfs    string
	dockerCLI string
	// dockerVersion is the CLI's own version (e.g. 28.2.2, 20.10.24+dfsg1),
	// for the few cases where clients of different ages differ.
	dockerVersion string
	dockerCfg     string
	modes         []*mode
	// reg and authReg are the test registries (plain HTTP; authReg with
	// htpasswd); regConf is the registries.conf marking them insecure.
	reg, authReg *testRegistry
	regConf      string
}

var suite *suiteState

func TestMain(m *testing.M) {
	s, err := setup()
	code := 1
	if err != nil {
		fmt.Fprintf(os.Stderr, "compat setup: %v\n", err)
	} else {
		suite = s
		if err := s.reportClient(); err != nil {
			fmt.Fprintf(os.Stderr, "compat setup: %v\n", err)
		} else {
			code = m.Run()
		}
	}
	if s != nil {
		s.teardown(code != 0)
	}
	os.Exit(code)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func setup() (*suiteState, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("the compat suite must run as root (it runs the rootless service as $SKIFF_TEST_USER)")
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	repo := filepath.Clean(filepath.Join(wd, "..", ".."))
	s := &suiteState{work: fmt.Sprintf("/tmp/skiff-compat-%d", os.Getpid())}
	if err := os.MkdirAll(s.work, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(s.work, 0o755); err != nil {
		return s, err
	}
	if s.dockerCLI, err = dockerCLI(); err != nil {
		return s, err
	}
	s.dockerCfg = filepath.Join(s.work, "docker-config")
	if err := os.MkdirAll(s.dockerCfg, 0o700); err != nil {
		return s, err
	}
	if s.bin, err = install(envOr("SKIFF_BIN", filepath.Join(repo, "bin", "skiff")), s.work); err != nil {
		return s, err
	}
	if s.rootfs, err = fixture(repo, s.work); err != nil {
		return s, err
	}
	if err := s.startRegistries(); err != nil {
		return s, err
	}
	if err := s.writeConfigFiles(); err != nil {
		return s, err
	}
	usr, err := ensureUser(envOr("SKIFF_TEST_USER", "skifftest"))
	if err != nil {
		return s, err
	}
	for _, name := range strings.Split(envOr("SKIFF_COMPAT_MODES", "root,rootless"), ",") {
		md, err := s.newMode(strings.TrimSpace(name), usr)
		if err != nil {
			return s, err
		}
		s.modes = append(s.modes, md)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(s.modes))
	for i, md := range s.modes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = md.importFixture(s); errs[i] == nil {
				errs[i] = md.startService(s)
			}
		}()
	}
	wg.Wait()
	return s, errors.Join(errs...)
}

// install copies the binary where the test user can run it.
func install(bin, work string) (string, error) {
	dst := filepath.Join(work, "skiff")
	if err := copyFile(bin, dst, 0o755); err != nil {
		return "", fmt.Errorf("installing %s: %w (build it with make, or set SKIFF_BIN)", bin, err)
	}
	return dst, nil
}

func fixture(repo, work string) (string, error) {
	out := filepath.Join(work, "busybox-rootfs.tar")
	if given := os.Getenv("SKIFF_TEST_ROOTFS"); given != "" {
		return out, copyFile(given, out, 0o644)
	}
	script := filepath.Join(repo, "hack", "make-busybox-rootfs.sh")
	if b, err := exec.Command("bash", script, out).CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %v\n%s", script, err, b)
	}
	return out, os.Chmod(out, 0o644)
}

func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, perm)
}

// ensureUser creates the rootless test user and its subordinate IDs when
// missing, as the brief's convention says.
func ensureUser(name string) (*user.User, error) {
	if _, err := user.Lookup(name); err != nil {
		if b, err := exec.Command("useradd", "-m", "-s", "/bin/bash", name).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("useradd %s: %v: %s", name, err, b)
		}
	}
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("\n"+name+":")) || bytes.HasPrefix(b, []byte(name+":")) {
			continue
		}
		fh, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, err
		}
		_, err = fmt.Fprintf(fh, "%s:200000:65536\n", name)
		fh.Close()
		if err != nil {
			return nil, err
		}
	}
	return user.Lookup(name)
}

func (s *suiteState) newMode(name string, usr *user.User) (*mode, error) {
	md := &mode{name: name}
	switch name {
	case "root":
	case "rootless":
		md.rootless = true
		md.uid, _ = strconv.Atoi(usr.Uid)
		md.gid, _ = strconv.Atoi(usr.Gid)
		gids, _ := usr.GroupIds()
		for _, g := range gids {
			n, _ := strconv.Atoi(g)
			md.groups = append(md.groups, uint32(n))
		}
	default:
		return nil, fmt.Errorf("SKIFF_COMPAT_MODES: unknown mode %q (want root, rootless)", name)
	}
	md.dir = filepath.Join(s.work, name)
	md.root = filepath.Join(md.dir, "root")
	md.runroot = filepath.Join(md.dir, "runroot")
	md.sock = filepath.Join(md.dir, "skiff.sock")
	md.logPath = filepath.Join(s.work, name+"-service.log")
	for _, d := range []string{md.dir, md.root, md.runroot} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chown(d, md.uid, md.gid); err != nil {
			return nil, err
		}
	}
	// Not the user's own home (for root, /root): nothing a user keeps in
	// ~/.config/containers may change a result, and a run leaves nothing
	// there.
	md.home = filepath.Join(md.dir, "home")
	if err := makeHome(md.home, md.uid, md.gid); err != nil {
		return nil, err
	}
	return md, nil
}

// skiffCmd runs skiff as the mode's user against the mode's store.
func (md *mode) skiffCmd(ctx context.Context, s *suiteState, args ...string) *exec.Cmd {
	full := append([]string{"--root", md.root, "--runroot", md.runroot}, args...)
	c := exec.CommandContext(ctx, s.bin, full...)
	c.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + md.home, "LANG=C.UTF-8"}
	c.Env = append(c.Env, s.configEnv()...)
	if lvl := os.Getenv("SKIFF_LOG_LEVEL"); lvl != "" {
		c.Env = append(c.Env, "SKIFF_LOG_LEVEL="+lvl)
	}
	c.Dir = s.work
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if md.rootless {
		c.Env = append(c.Env, "USER="+envOr("SKIFF_TEST_USER", "skifftest"))
		c.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(md.uid), Gid: uint32(md.gid), Groups: md.groups}
	}
	return c
}

func (md *mode) importFixture(s *suiteState) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := md.skiffCmd(ctx, s, "import", "--change", `CMD ["sh"]`,
		"--change", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin", s.rootfs, image).CombinedOutput()
	if err != nil {
		return fmt.Errorf("importing the fixture (%s): %v\n%s", md.name, err, out)
	}
	return nil
}

// startService starts `skiff system service` on the mode's socket, never
// idling out, and waits until /_ping answers.
func (md *mode) startService(s *suiteState) error {
	logf, err := os.Create(md.logPath)
	if err != nil {
		return err
	}
	c := md.skiffCmd(context.Background(), s, "--log-level", "debug", "system", "service", "--time", "0", "unix://"+md.sock)
	c.Stdout, c.Stderr = logf, logf
	if err := c.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting the %s service: %w", md.name, err)
	}
	logf.Close()
	md.service = c
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	deadline := time.Now().Add(hangTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(md.logPath)
			md.service = nil
			return fmt.Errorf("the %s service exited: %v\n%s", md.name, err, log)
		default:
		}
		if md.ping() == nil {
			go func() { <-exited }()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the %s service did not answer /_ping on %s within %s", md.name, md.sock, hangTimeout)
}

// httpClient talks to the mode's socket.
func (md *mode) httpClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", md.sock)
		},
	}}
}

func (md *mode) ping() error {
	resp, err := md.httpClient().Get("http://skiff/_ping")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/_ping: %s", resp.Status)
	}
	return nil
}

func (s *suiteState) teardown(failed bool) {
	for _, md := range s.modes {
		if md.service != nil && md.service.Process != nil {
			_ = syscall.Kill(-md.service.Process.Pid, syscall.SIGTERM)
			stopped := false
			for i := 0; i < 100 && !stopped; i++ {
				stopped = syscall.Kill(md.service.Process.Pid, 0) != nil
				time.Sleep(50 * time.Millisecond)
			}
			if !stopped {
				_ = syscall.Kill(-md.service.Process.Pid, syscall.SIGKILL)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if out, err := md.skiffCmd(ctx, s, "rm", "-a", "-f").CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "compat teardown: removing the %s containers: %v\n%s", md.name, err, out)
		}
		cancel()
		if failed {
			if log, err := os.ReadFile(md.logPath); err == nil {
				fmt.Fprintf(os.Stderr, "---- %s service log (last 16k) ----\n%s\n", md.name, tail(string(log), 16<<10))
			}
		}
	}
	s.reg.stop()
	s.authReg.stop()
	if os.Getenv("SKIFF_COMPAT_KEEP") == "" {
		if err := os.RemoveAll(s.work); err != nil {
			fmt.Fprintf(os.Stderr, "compat teardown: %v\n", err)
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// forModes runs fn per mode as parallel subtests.
func forModes(t *testing.T, fn func(t *testing.T, md *mode)) {
	t.Helper()
	t.Parallel()
	for _, md := range suite.modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			fn(t, md)
		})
	}
}

// uniqueName makes a container name no other case uses.
func uniqueName(t *testing.T, tag string) string {
	seq := nameSeq.Add(1)
	return fmt.Sprintf("compat-%s-%d-%d", tag, os.Getpid()%10000, seq)
}
