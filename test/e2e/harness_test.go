package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// image is the fixture every case runs; TestMain imports it into each store.
const image = "localhost/busybox:latest"

// defaultTimeout bounds one CLI call; nothing in the suite should come close.
const defaultTimeout = 60 * time.Second

// suiteState is what TestMain prepares once. It is written before m.Run and
// only read afterwards, except for the store list, which has its own lock.
type suiteState struct {
	bin    string // engine binary as the modes run it
	podman bool   // validating the suite itself against podman
	work   string // /tmp/skiff-e2e-<pid>, removed at the end
	rootfs string // fixture tar, readable by everyone
	user   string // unprivileged user of the rootless mode
	modes  []*Mode
	// config is the containers configuration every call reads instead of
	// the host's (isolation_test.go).
	config configFiles
	// clientHome is HOME for calls made as root outside any mode, as a
	// user on another machine would make them.
	clientHome string

	storeSeq atomic.Int64
	// tmpSeq numbers temporary directories suite-wide: an isolated mode
	// shares its parent's directory, so a count per Mode would collide.
	tmpSeq atomic.Int64
	mu     sync.Mutex
	stores []*Mode // every store ever created, for the final clean-up
}

// suite is set once by TestMain before any test runs.
var suite *suiteState

// Mode is one way of running the engine: as root or as the test user, each
// with its own isolated store.
type Mode struct {
	Name     string // "root", "rootless", "root-remote" or "rootless-remote"
	Rootless bool
	// Remote modes send every call to a service (`skiff --url`) that runs
	// as the mode's user on the mode's store.
	Remote   bool
	svc      *service
	uid, gid int
	groups   []uint32
	home     string // HOME: the suite's (makeHome), never the user's own
	dir      string // per-mode scratch dir owned by the mode's user
	root     string // --root
	runroot  string // --runroot
	xdg      string // XDG_RUNTIME_DIR (podman rootless only)
	// extraEnv is added to every call's environment, and to the service's
	// of a remote mode (see isolatedEnv).
	extraEnv []string
}

// Result is what one CLI call did.
type Result struct {
	Args     []string
	Stdout   string
	Stderr   string
	Code     int // exit code; 128+N when killed by signal N; -1 on timeout
	Duration time.Duration
}

func (r Result) String() string {
	return fmt.Sprintf("$ %s\n  exit %d after %s\n  stdout: %q\n  stderr: %q",
		strings.Join(r.Args, " "), r.Code, r.Duration.Round(time.Millisecond), clip(r.Stdout), clip(r.Stderr))
}

// Out is stdout without surrounding white space.
func (r Result) Out() string { return strings.TrimSpace(r.Stdout) }

// Lines is stdout split into its non-empty lines.
func (r Result) Lines() []string {
	var out []string
	for _, l := range strings.Split(r.Stdout, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimRight(l, "\r"))
		}
	}
	return out
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// forModes runs fn once per mode as parallel subtests named after the mode.
func forModes(t *testing.T, fn func(t *testing.T, m *Mode)) {
	t.Helper()
	t.Parallel()
	for _, m := range suite.modes {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, m)
		})
	}
}

// globalArgs are the flags that pin a call to this mode's store: the
// store itself, or the service that serves it.
func (m *Mode) globalArgs() []string {
	if m.Remote {
		return []string{"--url", "unix://" + m.svc.sock}
	}
	return m.localArgs()
}

// localArgs name the store directly.
func (m *Mode) localArgs() []string {
	return []string{"--root", m.root, "--runroot", m.runroot}
}

// env is the complete environment of a call: nothing leaks from the caller,
// and the containers configuration is the suite's. A case's extraEnv comes
// last, so it may name files of its own (the last of a duplicate wins).
func (m *Mode) env() []string {
	env := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + m.home,
		"LANG=C.UTF-8",
	}
	env = append(env, suite.config.env()...)
	if m.Rootless {
		env = append(env, "USER="+suite.user, "LOGNAME="+suite.user)
	} else {
		env = append(env, "USER=root", "LOGNAME=root")
	}
	if m.xdg != "" {
		env = append(env, "XDG_RUNTIME_DIR="+m.xdg)
	}
	env = append(env, m.extraEnv...)
	// Let a developer pass extra settings (e.g. SKIFF_LOG_LEVEL) through.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SKIFF_") && !strings.HasPrefix(kv, "SKIFF_TEST_") &&
			!strings.HasPrefix(kv, "SKIFF_E2E_") && !strings.HasPrefix(kv, "SKIFF_BIN=") {
			env = append(env, kv)
		}
	}
	return env
}

// cmd builds an engine call that runs as the mode's user. The rootless mode
// switches credentials directly (no runuser in between) so the test holds the
// engine's own pid, which the kill -9 case needs.
func (m *Mode) cmd(ctx context.Context, args ...string) *exec.Cmd {
	return m.cmdWith(ctx, m.globalArgs(), args...)
}

// localCmd is cmd on the mode's store directly, even in a remote mode
// (the clean-up uses it once the services are gone).
func (m *Mode) localCmd(ctx context.Context, args ...string) *exec.Cmd {
	return m.cmdWith(ctx, m.localArgs(), args...)
}

func (m *Mode) cmdWith(ctx context.Context, global []string, args ...string) *exec.Cmd {
	full := append(append([]string(nil), global...), args...)
	c := exec.CommandContext(ctx, suite.bin, full...)
	c.Env = m.env()
	c.Dir = suite.work
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if m.Rootless {
		c.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(m.uid), Gid: uint32(m.gid), Groups: m.groups}
	}
	c.Cancel = func() error {
		// Kill the whole group: an engine stuck on a child would survive otherwise.
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		return c.Process.Kill()
	}
	// A child that keeps our stdout open (e.g. a monitor that inherited it)
	// would hang `ID=$(skiff run -d …)` in a shell; notice it instead of hanging.
	c.WaitDelay = 5 * time.Second
	return c
}

// runOpts tunes one call.
type runOpts struct {
	timeout time.Duration
	stdin   io.Reader
}

// run calls the engine with args and returns what happened. A timeout or a
// leaked stdout is reported as a test error.
func (m *Mode) run(t testing.TB, args ...string) Result {
	t.Helper()
	return m.runWith(t, runOpts{}, args...)
}

func (m *Mode) runWith(t testing.TB, o runOpts, args ...string) Result {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	c := m.cmd(ctx, args...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr, c.Stdin = &stdout, &stderr, o.stdin
	start := time.Now()
	err := c.Run()
	res := Result{Args: append([]string{filepath.Base(suite.bin)}, args...), Duration: time.Since(start)}
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	res.Code = exitCode(c, err)
	switch {
	case ctx.Err() != nil:
		res.Code = -1
		t.Errorf("timed out after %s: %s", o.timeout, res)
	case errors.Is(err, exec.ErrWaitDelay):
		t.Errorf("the engine exited but a child kept its stdout/stderr open: %s", res)
	}
	t.Logf("%s", res)
	return res
}

// exitCode turns a finished command into a shell-style exit code.
func exitCode(c *exec.Cmd, err error) int {
	if c.ProcessState == nil {
		if err != nil {
			return -1
		}
		return 0
	}
	if ws, ok := c.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return c.ProcessState.ExitCode()
}

// must runs a call that has to succeed and fails the test otherwise.
func (m *Mode) must(t testing.TB, args ...string) Result {
	t.Helper()
	res := m.run(t, args...)
	if res.Code != 0 {
		t.Fatalf("command failed: %s", res)
	}
	return res
}

// wantCode checks the exit code only.
func wantCode(t testing.TB, res Result, code int) {
	t.Helper()
	if res.Code != code {
		t.Errorf("want exit %d, got: %s", code, res)
	}
}

// wantErr checks an engine failure: exit code, and, against skiff, that
// stderr contains skiff's wording. Podman words things differently, so in
// podman-validation mode only the exit code is checked.
func wantErr(t testing.TB, res Result, code int, skiffText string) {
	t.Helper()
	wantCode(t, res, code)
	if suite.podman || skiffText == "" {
		return
	}
	if !strings.Contains(res.Stderr, skiffText) {
		t.Errorf("want stderr containing %q, got: %s", skiffText, res)
	}
}

// wantStderr checks text that Docker, Podman and skiff all print.
func wantStderr(t testing.TB, res Result, text string) {
	t.Helper()
	if !strings.Contains(strings.ToLower(res.Stderr), strings.ToLower(text)) {
		t.Errorf("want stderr containing %q, got: %s", text, res)
	}
}

// wantOut checks that trimmed stdout is exactly want.
func wantOut(t testing.TB, res Result, want string) {
	t.Helper()
	if res.Out() != want {
		t.Errorf("want stdout %q, got: %s", want, res)
	}
}

// rmForce removes containers without waiting for a graceful stop; podman's
// rm -f honours the stop timeout, skiff's (like Docker's) kills at once.
func (m *Mode) rmForce(t testing.TB, names ...string) Result {
	t.Helper()
	args := []string{"rm", "-f"}
	if suite.podman {
		args = append(args, "-t", "0")
	}
	return m.run(t, append(args, names...)...)
}

// cleanup removes the named containers when the test ends.
func (m *Mode) cleanup(t *testing.T, names ...string) {
	t.Helper()
	t.Cleanup(func() {
		args := []string{"rm", "-f"}
		if suite.podman {
			args = append(args, "-t", "0")
		}
		res := m.run(t, append(args, names...)...)
		if res.Code != 0 {
			t.Logf("cleanup failed: %s", res)
		}
	})
}

var nameUnsafe = regexp.MustCompile(`[^a-z0-9_.-]+`)

// cname is a container name unique to the test (and the optional suffix),
// valid for Docker-style names.
func cname(t testing.TB, suffix ...string) string {
	n := strings.ToLower(strings.Join(append([]string{t.Name()}, suffix...), "-"))
	n = strings.Trim(nameUnsafe.ReplaceAllString(n, "-"), "-.")
	if len(n) > 60 {
		n = n[:50] + "-" + strconv.FormatUint(uint64(fnv32(n)), 16)
	}
	return n
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// tempDir makes a fresh directory owned by the mode's user, for host files
// the engine (running as that user) must read or write.
func (m *Mode) tempDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(m.dir, "tmp", strconv.FormatInt(suite.tmpSeq.Add(1), 10))
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(d, m.uid, m.gid); err != nil {
		t.Fatal(err)
	}
	return d
}

// writeFile writes a file owned by the mode's user.
func (m *Mode) writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, m.uid, m.gid); err != nil {
		t.Fatal(err)
	}
}

// isolated returns a mode with the same user but a new, empty store holding
// only the fixture image, for cases that count or remove everything.
func (m *Mode) isolated(t testing.TB) *Mode {
	t.Helper()
	return m.isolatedEnv(t)
}

// isolatedEnv is isolated with extra environment variables (KEY=VALUE) for
// every call, and, in a remote mode, for its own service too.
func (m *Mode) isolatedEnv(t testing.TB, extra ...string) *Mode {
	t.Helper()
	n := &Mode{Name: m.Name, Rootless: m.Rootless, Remote: m.Remote, uid: m.uid, gid: m.gid, groups: m.groups,
		home: m.home, dir: m.dir, xdg: m.xdg, extraEnv: append(append([]string(nil), m.extraEnv...), extra...)}
	stores := filepath.Join(m.dir, "stores")
	if err := os.MkdirAll(stores, 0o755); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(stores, strconv.FormatInt(suite.storeSeq.Add(1), 10))
	if err := n.initStore(base); err != nil {
		t.Fatal(err)
	}
	suite.addStore(n)
	if n.Remote {
		if err := n.startService(base); err != nil {
			t.Fatal(err)
		}
		// The service current at the end: a case may restart it.
		t.Cleanup(func() { n.svc.stop() })
	}
	if err := n.importFixture(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.removeAll(t) })
	return n
}

// initStore creates the store directories under base, owned by the user.
func (m *Mode) initStore(base string) error {
	m.root, m.runroot = filepath.Join(base, "root"), filepath.Join(base, "runroot")
	for _, d := range []string{base, m.root, m.runroot} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		if err := os.Chown(d, m.uid, m.gid); err != nil {
			return err
		}
	}
	return nil
}

// importFixture imports the rootfs tar as the fixture image.
func (m *Mode) importFixture() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := m.cmd(ctx, "import", "--change", `CMD ["sh"]`,
		"--change", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin", suite.rootfs, image)
	out, err := c.CombinedOutput()
	if err != nil {
		return fmt.Errorf("importing the fixture into %s store %s: %v\n%s", m.Name, m.root, err, out)
	}
	return nil
}

// removeAll removes every container of the store; used at clean-up time.
func (m *Mode) removeAll(t testing.TB) {
	args := []string{"rm", "-a", "-f"}
	if suite.podman {
		args = append(args, "-t", "0")
	}
	if res := m.run(t, args...); res.Code != 0 {
		t.Logf("removing all containers of %s: %s", m.root, res)
	}
}

func (s *suiteState) addStore(m *Mode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stores = append(s.stores, m)
}

// eventually polls cond until it holds, and fails the test with cond's
// last explanation if it still does not after defaultTimeout. That bound
// only catches a hang: a loaded machine is slow, and nothing here may
// fail for slowness.
func eventually(t testing.TB, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(defaultTimeout)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s: %s", defaultTimeout, why)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// inspectField returns one formatted field of a container.
func (m *Mode) inspectField(t testing.TB, name, format string) string {
	t.Helper()
	res := m.run(t, "container", "inspect", "--format", format, name)
	if res.Code != 0 {
		t.Fatalf("inspect failed: %s", res)
	}
	return res.Out()
}

// containerID resolves a container reference to its full ID through the
// inspect JSON (not a template, so one template bug does not hide the rest).
func (m *Mode) containerID(t testing.TB, ref string) string {
	t.Helper()
	res := m.run(t, "container", "inspect", ref)
	var arr []struct{ Id string }
	if err := json.Unmarshal([]byte(res.Stdout), &arr); err != nil || len(arr) != 1 || !hex64.MatchString(arr[0].Id) {
		t.Fatalf("inspect %s: want a JSON array with one Id (%v): %s", ref, err, res)
	}
	return arr[0].Id
}

// waitRunning waits until the container reports State.Running.
func (m *Mode) waitRunning(t testing.TB, name string) {
	t.Helper()
	eventually(t, func() (bool, string) {
		res := m.run(t, "container", "inspect", "--format", "{{.State.Running}}", name)
		return res.Out() == "true", res.String()
	})
}

// psNames maps container name to its ps Status column, for the whole store.
func (m *Mode) psStatus(t testing.TB, extra ...string) map[string]string {
	t.Helper()
	args := append([]string{"ps", "-a", "--format", "{{.Names}}|{{.Status}}"}, extra...)
	res := m.run(t, args...)
	if res.Code != 0 {
		t.Fatalf("ps failed: %s", res)
	}
	st := map[string]string{}
	for _, l := range res.Lines() {
		name, status, _ := strings.Cut(l, "|")
		st[name] = status
	}
	return st
}

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestMain prepares the fixture and the per-mode stores, runs the suite, and
// removes every trace of it.
func TestMain(m *testing.M) {
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		// Most cases wait on containers, not on the CPU.
		_ = flag.Set("test.parallel", "8")
	}
	s, err := setup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e setup: %v\n", err)
		if s != nil {
			s.teardown()
		}
		os.Exit(2)
	}
	suite = s
	code := m.Run()
	s.teardown()
	os.Exit(code)
}

// needTool returns the path of a program a case runs. Missing, the case
// is skipped with the reason, except under `make test`
// (SKIFF_TEST_STRICT=1), whose set-up installs every such program: there a
// missing one is the set-up's failure and must not hide as a skip.
func needTool(t testing.TB, name, installedBy string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("SKIFF_TEST_STRICT") == "1" {
		t.Fatalf("%s is missing although %s installs it: %v", name, installedBy, err)
	}
	t.Skipf("%s is not installed (%s installs it): %v", name, installedBy, err)
	return ""
}
