package e2e

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestCreateStart(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		res := m.must(t, "create", "--name", name, image, "echo", "hello")
		if !hex64.MatchString(res.Out()) {
			t.Errorf("create: want a 64-hex ID, got: %s", res)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Status}}", name), "created")
		res = m.run(t, "start", "-a", name)
		wantCode(t, res, 0)
		wantOut(t, res, "hello")

		failing := cname(t, "failing")
		m.cleanup(t, failing)
		m.must(t, "create", "--name", failing, image, "sh", "-c", "exit 6")
		wantCode(t, m.run(t, "start", "-a", failing), 6)

		// Starting a running container succeeds and changes nothing.
		running := cname(t, "running")
		m.runDetached(t, running, image, "sh", "-c", longRunning)
		pid := m.inspectField(t, running, "{{.State.Pid}}")
		wantCode(t, m.run(t, "start", running), 0)
		if got := m.inspectField(t, running, "{{.State.Pid}}"); got != pid {
			t.Errorf("start of a running container replaced its process (%s -> %s)", pid, got)
		}
	})
}

func TestRemove(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		// It ignores TERM and its stop timeout is far beyond the harness's:
		// an rm -f that stopped it gracefully would hang, not just be slow.
		m.runDetached(t, name, "--stop-timeout", "600", image, "sh", "-c", `trap "" TERM; echo started; sleep 1000 & wait`)
		res := m.run(t, "rm", name)
		wantCode(t, res, podmanOr(2, 125))
		wantStderr(t, res, "running")
		wantCode(t, m.run(t, "container", "exists", name), 0)

		wantCode(t, m.rmForce(t, name), 0)
		wantCode(t, m.run(t, "container", "exists", name), 1)

		done := cname(t, "exited")
		m.cleanup(t, done)
		m.must(t, "run", "--name", done, image, "true")
		wantCode(t, m.run(t, "rm", done), 0)
		wantCode(t, m.run(t, "container", "exists", done), 1)
	})
}

func TestRemoveAll(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		m.must(t, "run", "--name", "exited", image, "true")
		m.must(t, "create", "--name", "created", image, "true")
		m.must(t, "run", "-d", "--name", "running", image, "sleep", "1000")
		res := m.run(t, "rm", "-a")
		if res.Code == 0 {
			t.Errorf("rm -a with a running container: want failure, got: %s", res)
		}
		wantCode(t, m.run(t, "container", "exists", "running"), 0)
		args := []string{"rm", "-a", "-f"}
		if suite.podman {
			args = append(args, "-t", "0")
		}
		m.must(t, args...)
		if res := m.must(t, "ps", "-a", "-q"); res.Out() != "" {
			t.Errorf("rm -af left containers: %s", res)
		}
	})
}

// psFixture is a store with three containers in three states.
type psFixture struct {
	m                        *Mode
	alpha, bravo, charlie    string // exited(3) a=b, running a=c, created
	alphaID, bravoID, charID string
}

func newPsFixture(t *testing.T, m *Mode) *psFixture {
	m = m.isolated(t)
	f := &psFixture{m: m, alpha: "alpha", bravo: "bravo", charlie: "charlie"}
	m.run(t, "run", "--name", f.alpha, "-l", "a=b", image, "sh", "-c", "exit 3")
	f.alphaID = m.containerID(t, f.alpha)
	f.bravoID = m.must(t, "run", "-d", "--name", f.bravo, "-l", "a=c", image, "sleep", "1000").Out()
	f.charID = m.must(t, "create", "--name", f.charlie, image, "true").Out()
	return f
}

// names runs ps with args and returns the sorted names it printed.
func (f *psFixture) names(t *testing.T, args ...string) []string {
	t.Helper()
	res := f.m.must(t, append(append([]string{"ps"}, args...), "--format", "{{.Names}}")...)
	out := res.Lines()
	sort.Strings(out)
	return out
}

func wantNames(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: want %v, got %v", what, want, got)
	}
}

var hex12 = regexp.MustCompile(`^[0-9a-f]{12}$`)

func TestPs(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		f := newPsFixture(t, m)
		m = f.m

		ids := m.must(t, "ps", "-a", "-q").Lines()
		if len(ids) != 3 {
			t.Errorf("ps -a -q: want 3 IDs, got %v", ids)
		}
		for _, id := range ids {
			if !hex12.MatchString(id) {
				t.Errorf("ps -a -q: want 12-hex IDs, got %q", id)
			}
		}
		if got := m.must(t, "ps", "-q").Lines(); len(got) != 1 || !strings.HasPrefix(f.bravoID, got[0]) {
			t.Errorf("ps -q: want only %s, got %v", f.bravoID[:12], got)
		}
		full := m.must(t, "ps", "-a", "-q", "--no-trunc").Lines()
		sort.Strings(full)
		want := []string{f.alphaID, f.bravoID, f.charID}
		sort.Strings(want)
		if strings.Join(full, ",") != strings.Join(want, ",") {
			t.Errorf("ps -a -q --no-trunc: want %v, got %v", want, full)
		}

		wantNames(t, "ps", f.names(t), f.bravo)
		wantNames(t, "ps -a", f.names(t, "-a"), f.alpha, f.bravo, f.charlie)
		wantNames(t, "ps -l", f.names(t, "-l"), f.charlie)
		wantNames(t, "ps -n 2", f.names(t, "-n", "2"), f.bravo, f.charlie)
		wantNames(t, "filter name", f.names(t, "-a", "--filter", "name="+f.alpha), f.alpha)
		wantNames(t, "filter id", f.names(t, "-a", "--filter", "id="+f.charID[:12]), f.charlie)
		wantNames(t, "filter label=a=b", f.names(t, "-a", "--filter", "label=a=b"), f.alpha)
		wantNames(t, "filter label=a", f.names(t, "-a", "--filter", "label=a"), f.alpha, f.bravo)
		wantNames(t, "filter status=exited", f.names(t, "-a", "--filter", "status=exited"), f.alpha)
		wantNames(t, "filter status=created", f.names(t, "-a", "--filter", "status=created"), f.charlie)
		wantNames(t, "filter status=running", f.names(t, "-a", "--filter", "status=running"), f.bravo)
		wantNames(t, "filter ancestor", f.names(t, "-a", "--filter", "ancestor=localhost/busybox"), f.alpha, f.bravo, f.charlie)
		wantNames(t, "filter exited=3", f.names(t, "-a", "--filter", "exited=3"), f.alpha)
		wantNames(t, "two filters", f.names(t, "-a", "--filter", "label=a", "--filter", "status=running"), f.bravo)

		st := m.psStatus(t)
		if !regexp.MustCompile(`^Exited \(3\) `).MatchString(st[f.alpha]) {
			t.Errorf("status of alpha: want Exited (3) …, got %q", st[f.alpha])
		}
		if !strings.HasPrefix(st[f.bravo], "Up ") {
			t.Errorf("status of bravo: want Up …, got %q", st[f.bravo])
		}
		if !strings.HasPrefix(st[f.charlie], "Created") {
			t.Errorf("status of charlie: want Created, got %q", st[f.charlie])
		}
	})
}

func TestPsFormats(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		f := newPsFixture(t, m)
		m = f.m

		res := m.must(t, "ps", "-a", "--format", "table {{.ID}}")
		lines := res.Lines()
		if len(lines) != 4 || strings.TrimSpace(lines[0]) != "CONTAINER ID" {
			t.Errorf("table {{.ID}}: want a CONTAINER ID header and 3 rows, got: %s", res)
		}
		for _, l := range lines[1:] {
			if !hex12.MatchString(strings.TrimSpace(l)) {
				t.Errorf("table {{.ID}}: want 12-hex rows, got %q", l)
			}
		}

		res = m.must(t, "ps", "-a", "--format", "json")
		objs := parseJSONObjects(t, res.Stdout)
		if len(objs) != 3 {
			t.Fatalf("ps --format json: want 3 objects, got %d: %s", len(objs), res)
		}
		fields := []string{"ID", "Names", "Image", "Command", "CreatedAt", "Status", "State", "Labels"}
		if suite.podman {
			fields = []string{"Id", "Names", "Image", "Command", "State", "Status", "Labels"}
		}
		var names []string
		for _, o := range objs {
			for _, k := range fields {
				if _, ok := o[k]; !ok {
					t.Errorf("ps --format json: object without %q: %v", k, o)
				}
			}
			switch n := o["Names"].(type) {
			case string:
				names = append(names, n)
			case []any:
				for _, x := range n {
					names = append(names, x.(string))
				}
			}
		}
		sort.Strings(names)
		wantNames(t, "ps --format json names", names, f.alpha, f.bravo, f.charlie)

		res = m.must(t, "ps", "-a", "-s")
		if !strings.Contains(res.Lines()[0], "SIZE") {
			t.Errorf("ps -s: want a SIZE column, got: %s", res)
		}
		res = m.must(t, "ps", "-a")
		if h := res.Lines()[0]; !strings.Contains(h, "CONTAINER ID") || !strings.Contains(h, "NAMES") || !strings.Contains(h, "STATUS") {
			t.Errorf("ps: want the Docker header, got: %s", res)
		}
		if len(res.Lines()) != 4 {
			t.Errorf("ps -a: want a header and 3 rows, got: %s", res)
		}
	})
}

// parseJSONObjects accepts a JSON array of objects or one object per line
// (Docker prints lines, Podman an array).
func parseJSONObjects(t *testing.T, s string) []map[string]any {
	t.Helper()
	var arr []map[string]any
	if err := json.Unmarshal([]byte(s), &arr); err == nil {
		return arr
	}
	arr = nil
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		var o map[string]any
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("not JSON (neither an array nor one object per line): %v\n%s", err, s)
		}
		arr = append(arr, o)
	}
	return arr
}
