package compat

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The parity suite: every row of parityRows (parity_table*_test.go) is one
// daily command line, run twice per mode: by skiff itself on the mode's
// store, as the mode's user, and by the docker CLI against the mode's
// service. Both runs are held to what Docker documents for that command
// line: exit code, stdout's shape and stderr's form. Where skiff
// deliberately differs, the row says how and why in one line (expect.why).

// engine is which program a row's command line runs with.
type engine string

const (
	viaSkiff  engine = "skiff"  // skiff itself: daemonless, on the service's store
	viaDocker engine = "docker" // the docker CLI against the service
)

// row is one command line and what Docker makes of it.
type row struct {
	cmd  string // the command the row covers (counted in TestParityTable)
	name string // what the row checks
	// setup runs before the command, through skiff unless a step says
	// otherwise; it never counts as the row's output.
	setup []step
	// shared, instead of setup, is setup that rows only reading what it
	// made share: made once per mode, its placeholders become the row's.
	shared *sharedSetup
	// args is the same argv for skiff and docker, with placeholders
	// (expand).
	args []string
	// stdin is fed to the command (placeholders expanded); stdinFile names
	// a file to feed instead.
	stdin, stdinFile string
	// want is what Docker documents; both runs are held to it unless
	// skiff or docker (the docker CLI through skiff's service) says what
	// differs for that run, and why.
	want          expect
	skiff, docker *expect
	// after checks state once the command returned.
	after []probe
}

// step is a command of a row's setup.
type step struct {
	args  []string
	stdin string
	// capture names a placeholder that takes the step's trimmed stdout;
	// an ID also sets name+"12", its short form.
	capture string
	// sameEngine runs the step with the row's engine (state the client
	// keeps itself, such as a login), not with skiff.
	sameEngine bool
}

// sharedSetup is setup several rows share because none of them changes what
// it made (a container to list, to read the logs of, to exec in).
type sharedSetup struct {
	name  string
	setup []step
}

// probe checks state after the command: a skiff command line with its
// exit code (and stdout, when out is set), or a function.
type probe struct {
	args []string
	code int
	out  check
	fn   func(x *run) error
}

// expect is one run's outcome.
type expect struct {
	code   int
	stdout check
	stderr check
	// why says, in one line, why a run differs from want (required in an
	// override, so that every deviation is written down).
	why string
}

// expectFor is what the run through e must show: want, or the row's
// override for e (whose nil checks fall back to want's).
func (r *row) expectFor(e engine) expect {
	over := r.skiff
	if e == viaDocker {
		over = r.docker
	}
	if over == nil {
		return r.want
	}
	got := *over
	if got.stdout == nil {
		got.stdout = r.want.stdout
	}
	if got.stderr == nil {
		got.stderr = r.want.stderr
	}
	return got
}

// parityJobs is how many rows run at once per mode: the rows wait on
// processes far more than they compute.
const parityJobs = 4

func TestParity(t *testing.T) {
	rows := parityRows()
	if err := validateRows(rows); err != nil {
		t.Fatal(err)
	}
	t.Parallel()
	for _, md := range suite.modes {
		t.Run(md.name, func(t *testing.T) {
			t.Parallel()
			sem := make(chan struct{}, parityJobs)
			mr := &modeRun{md: md, janitor: &janitor{}, made: map[*sharedSetup]*sharedRun{}}
			var wg sync.WaitGroup
			for _, r := range rows {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					t.Run(r.cmd+"/"+r.name, func(t *testing.T) {
						for _, e := range []engine{viaSkiff, viaDocker} {
							t.Run(string(e), func(t *testing.T) { runRow(t, mr, &r, e) })
						}
					})
				}()
			}
			wg.Wait()
			mr.janitor.sweep(t, md)
		})
	}
}

// TestParityTable checks the table itself: every daily command has rows,
// and prints how many each has.
func TestParityTable(t *testing.T) {
	counts := map[string]int{}
	for _, r := range parityRows() {
		counts[r.cmd]++
	}
	for _, c := range dailyCommands {
		if counts[c] == 0 {
			t.Errorf("the parity table has no row for %q", c)
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, counts[k])
	}
	t.Logf("parity rows per command:%s", b.String())
}

// dailyCommands are the commands the table must cover (issue 10); later
// issues add theirs here and rows to the table.
var dailyCommands = []string{
	"run", "create", "start", "stop", "restart", "kill", "rm", "ps", "logs", "exec", "attach",
	"inspect", "images", "tag", "rmi", "history", "save", "load", "pull", "push", "login",
	"logout", "events", "info", "version", "prune",
}

// validateRows refuses a row that could not say what it checks: unnamed,
// twice the same name, or an override without its reason.
func validateRows(rows []row) error {
	seen := map[string]bool{}
	for _, r := range rows {
		id := r.cmd + "/" + r.name
		switch {
		case r.cmd == "" || r.name == "" || len(r.args) == 0:
			return fmt.Errorf("row %q: cmd, name and args are required", id)
		case seen[id]:
			return fmt.Errorf("row %q: the name is used twice", id)
		case r.want.stdout == nil || r.want.stderr == nil:
			return fmt.Errorf("row %q: want needs a stdout and a stderr check", id)
		case r.skiff != nil && r.skiff.why == "", r.docker != nil && r.docker.why == "":
			return fmt.Errorf("row %q: an override must say why skiff differs", id)
		case r.shared != nil && len(r.setup) > 0:
			return fmt.Errorf("row %q: a row with a shared setup has no setup of its own", id)
		}
		seen[id] = true
	}
	return nil
}

// run is one row run through one engine in one mode: its placeholders,
// scratch directory and the names it made.
type run struct {
	t    *testing.T
	md   *mode
	eng  engine
	vars map[string]string
	used map[string]bool
	// shared are the placeholders a shared setup gave: not the run's to
	// clean up.
	shared map[string]bool
	dir    string
	// janitor removes what the run made once the mode's rows are done.
	janitor *janitor
}

// result of one command.
type output struct {
	code           int
	stdout, stderr string
}

func (o output) String() string {
	return fmt.Sprintf("exit %d\n  stdout: %q\n  stderr: %q", o.code, o.stdout, o.stderr)
}

// modeRun is what a mode's rows share: the janitor and the shared setups
// made so far.
type modeRun struct {
	md      *mode
	janitor *janitor
	mu      sync.Mutex
	made    map[*sharedSetup]*sharedRun
}

// sharedRun is a shared setup made in one mode: its placeholders, or why
// it could not be made.
type sharedRun struct {
	once sync.Once
	vars map[string]string
	err  error
}

// sharedVars makes f on first use (through skiff) and returns its
// placeholders.
func (mr *modeRun) sharedVars(t *testing.T, f *sharedSetup) (map[string]string, error) {
	mr.mu.Lock()
	fr, ok := mr.made[f]
	if !ok {
		fr = &sharedRun{}
		mr.made[f] = fr
	}
	mr.mu.Unlock()
	fr.once.Do(func() {
		x := newRun(t, mr.md, viaSkiff)
		x.janitor = mr.janitor
		fr.err = x.setup(f.setup, viaSkiff)
		x.cleanup()
		fr.vars = x.vars
	})
	return fr.vars, fr.err
}

func runRow(t *testing.T, mr *modeRun, r *row, e engine) {
	md := mr.md
	x := newRun(t, md, e)
	x.janitor = mr.janitor
	t.Cleanup(x.cleanup)
	if r.shared != nil {
		vars, err := mr.sharedVars(t, r.shared)
		if err != nil {
			t.Fatalf("shared setup %s: %v", r.shared.name, err)
		}
		x.share(vars)
	} else if err := x.setup(r.setup, e); err != nil {
		t.Fatal(err)
	}

	args := x.expandAll(r.args)
	var stdinFile string
	if r.stdinFile != "" {
		stdinFile = x.expand(r.stdinFile)
	}
	got := x.exec(e, args, x.expand(r.stdin), stdinFile)
	t.Logf("[%s] %s %s\n  %s", md.name, e, strings.Join(args, " "), got)

	want := r.expectFor(e)
	if want.why != "" {
		t.Logf("deviation: %s", want.why)
	}
	if got.code != want.code {
		t.Errorf("exit code %d, want %d", got.code, want.code)
	}
	if err := want.stdout(x, got.stdout); err != nil {
		t.Errorf("stdout: %v", err)
	}
	if err := want.stderr(x, got.stderr); err != nil {
		t.Errorf("stderr: %v", err)
	}
	for _, p := range r.after {
		if err := x.probe(p); err != nil {
			t.Errorf("after: %v", err)
		}
	}
}

// setup runs steps (through skiff, or e where a step says so) between
// the run's since and until.
func (x *run) setup(steps []step, e engine) error {
	x.vars["since"] = unixNano(time.Now().Add(-time.Second))
	for _, s := range steps {
		eng := viaSkiff
		if s.sameEngine {
			eng = e
		}
		out := x.exec(eng, x.expandAll(s.args), x.expand(s.stdin), "")
		if out.code != 0 {
			return fmt.Errorf("setup %s %q: %s", eng, s.args, out)
		}
		if s.capture != "" {
			x.setVar(s.capture, strings.TrimSpace(out.stdout))
		}
	}
	x.vars["until"] = unixNano(time.Now())
	return nil
}

// share takes a shared setup's placeholders (but not its scratch
// directory); what they name is the shared setup's to clean up.
func (x *run) share(vars map[string]string) {
	for k, v := range vars {
		if k != "tmp" {
			x.vars[k] = v
			x.shared[k] = true
		}
	}
}

func newRun(t *testing.T, md *mode, e engine) *run {
	seq := nameSeq.Add(1)
	tag := fmt.Sprintf("par%d-%d", os.Getpid()%10000, seq)
	dir := filepath.Join(md.dir, "parity", tag)
	if err := os.MkdirAll(filepath.Join(dir, "docker-config"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Join(dir, "docker-config")} {
		if err := os.Chown(d, md.uid, md.gid); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	json := "json"
	if dockerOlderThan(23, 0) {
		json = "{{json .}}" // the shorthand came with Docker 23
	}
	x := &run{t: t, md: md, eng: e, dir: dir, used: map[string]bool{}, shared: map[string]bool{}, vars: map[string]string{
		"image":   image,
		"name":    tag + "-a",
		"name2":   tag + "-b",
		"label":   "parity." + tag,
		"ref":     "localhost/" + tag + ":1",
		"refrepo": "localhost/" + tag,
		"short":   tag,
		"remote":  suite.reg.host + "/parity/" + tag + ":1",
		"repo":    suite.reg.host + "/parity/" + tag,
		"path":    "parity/" + tag,
		"reg":     suite.reg.host,
		"authreg": suite.authReg.host,
		"user":    regUser,
		"pass":    regPassword,
		"tmp":     dir,
		"json":    json,
		// The network a container gets by default, as ps names it:
		// Docker's bridge as root; rootless, skiff's default is pasta (no
		// bridge without privileges, as with Podman), named after itself.
		"defaultnet": md.defaultNetwork(),
		"arch":       runtime.GOARCH,
	}}
	x.setVar("base", md.fixtureID(t))
	return x
}

// fixtureIDs caches each mode's ID of the fixture image.
var fixtureIDs sync.Map

// fixtureID is the ID (sha256:...) of the fixture image in md's store.
func (md *mode) fixtureID(t testing.TB) string {
	if v, ok := fixtureIDs.Load(md.name); ok {
		return v.(string)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	out, err := md.skiffCmd(ctx, suite, "image", "inspect", "--format", "{{.Id}}", image).Output()
	id := strings.TrimSpace(string(out))
	if err != nil || !strings.HasPrefix(id, "sha256:") {
		t.Fatalf("the fixture's ID in %s: %q %v", md.name, out, err)
	}
	fixtureIDs.Store(md.name, id)
	return id
}

func unixNano(t time.Time) string { return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond()) }

var placeholderRe = regexp.MustCompile(`\{[a-z][a-z0-9]*\}`)

// expand replaces the placeholders in s ({name}, {id}, ...); one that is
// not defined fails the row, so that a typo never passes as literal text.
func (x *run) expand(s string) string {
	return x.expandWith(s, func(v string) string { return v })
}

// expandRegexp is expand for a pattern: values are matched literally.
func (x *run) expandRegexp(s string) string { return x.expandWith(s, regexp.QuoteMeta) }

func (x *run) expandWith(s string, quote func(string) string) string {
	return placeholderRe.ReplaceAllStringFunc(s, func(p string) string {
		key := p[1 : len(p)-1]
		v, ok := x.vars[key]
		if !ok {
			x.t.Fatalf("placeholder %s is not defined (setup must capture it)", p)
		}
		x.used[key] = true
		return quote(v)
	})
}

func (x *run) expandAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = x.expand(a)
	}
	return out
}

// setVar sets a captured placeholder; an ID also gets its short form.
func (x *run) setVar(key, v string) {
	x.vars[key] = v
	if hex := strings.TrimPrefix(v, "sha256:"); len(hex) == 64 {
		x.vars[key+"12"] = hex[:12]
	}
}

// exec runs args with e: skiff as the mode's user on its store (with a
// login file of the run's own), or the docker CLI against the service
// (with a DOCKER_CONFIG of the run's own).
func (x *run) exec(e engine, args []string, stdin, stdinFile string) output {
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	c := x.md.dockerCmd(ctx, args...)
	if e == viaSkiff {
		c = x.md.skiffCmd(ctx, suite, args...)
		c.Env = append(c.Env, "REGISTRY_AUTH_FILE="+filepath.Join(x.dir, "auth.json"))
		c.WaitDelay = 5 * time.Second
	} else {
		for i, kv := range c.Env {
			if strings.HasPrefix(kv, "DOCKER_CONFIG=") {
				c.Env[i] = "DOCKER_CONFIG=" + filepath.Join(x.dir, "docker-config")
			}
		}
	}
	var in io.Reader = strings.NewReader(stdin)
	if stdinFile != "" {
		f, err := os.Open(stdinFile)
		if err != nil {
			x.t.Fatalf("stdin: %v", err)
		}
		defer f.Close()
		in = f
	}
	var so, se bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = in, &so, &se
	err := c.Run()
	out := output{code: exitCode(c, err), stdout: so.String(), stderr: se.String()}
	if ctx.Err() != nil {
		x.t.Errorf("%s %q did not end within %s: %s", e, args, hangTimeout, out)
	}
	return out
}

func (x *run) probe(p probe) error {
	if p.fn != nil {
		return p.fn(x)
	}
	args := x.expandAll(p.args)
	out := x.exec(viaSkiff, args, "", "")
	if out.code != p.code {
		return fmt.Errorf("skiff %s: exit %d, want %d: %s", strings.Join(args, " "), out.code, p.code, out)
	}
	if p.out != nil {
		if err := p.out(x, out.stdout); err != nil {
			return fmt.Errorf("skiff %s: %v", strings.Join(args, " "), err)
		}
	}
	return nil
}

// cleanup hands what the run may have made to the mode's janitor: the
// containers and images its placeholders named, and the images it
// captured as {img} and {img2}.
func (x *run) cleanup() {
	var ctrs, imgs []string
	for _, k := range []string{"name", "name2"} {
		if x.used[k] && !x.shared[k] {
			ctrs = append(ctrs, x.vars[k])
		}
	}
	for _, k := range []string{"ref", "remote", "short"} {
		if x.used[k] && !x.shared[k] {
			imgs = append(imgs, x.vars[k])
		}
	}
	for _, k := range []string{"img", "img2"} {
		// Never the fixture every row uses, whatever a row captured.
		if v, ok := x.vars[k]; ok && !x.shared[k] && v != x.md.fixtureID(x.t) {
			imgs = append(imgs, v)
		}
	}
	x.janitor.add(ctrs, imgs)
	if os.Getenv("SKIFF_COMPAT_KEEP") == "" {
		_ = os.RemoveAll(x.dir)
	}
}

// janitor removes what a mode's rows made, in two commands once they all
// ended: every row names only its own containers and images, so nothing
// a later row sees depends on it, and the suite spends two processes
// where each row would spend two.
type janitor struct {
	mu         sync.Mutex
	ctrs, imgs []string
}

func (j *janitor) add(ctrs, imgs []string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ctrs = append(j.ctrs, ctrs...)
	j.imgs = append(j.imgs, imgs...)
}

// sweep removes the containers, then the images (rmi -f of a name already
// gone is no error).
func (j *janitor) sweep(t *testing.T, md *mode) {
	j.mu.Lock()
	defer j.mu.Unlock()
	x := &run{t: t, md: md, dir: filepath.Join(md.dir, "parity")}
	for _, c := range [][]string{append([]string{"rm", "-f"}, j.ctrs...), append([]string{"rmi", "-f"}, j.imgs...)} {
		if len(c) == 2 {
			continue
		}
		if out := x.exec(viaSkiff, c, "", ""); out.code != 0 {
			t.Errorf("cleaning up: skiff %s: %s", strings.Join(c[:2], " "), out)
		}
	}
}

// defaultNetwork is the network ps shows for a container created without
// one in mode md.
func (md *mode) defaultNetwork() string {
	if md.rootless {
		return "pasta"
	}
	return "bridge"
}
