package e2e

import (
	"strings"
	"testing"
)

// TestRuntimeErrorsOneLine checks that a command the OCI runtime cannot
// run fails as Docker's does: with 127 for a missing executable and 126 for
// one that cannot be run, and with the runtime's reason said once, in one
// line ("Error: OCI runtime exec failed: ..."), never also relayed on the
// process's stream.
func TestRuntimeErrorsOneLine(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.runDetached(t, name, image, "sh", "-c", longRunning)
		created := cname(t, "created")
		m.cleanup(t, created)
		m.must(t, "create", "--name", created, image, "/nonexistent")

		const missing = `stat /nonexistent: no such file or directory`
		cases := []struct {
			args   []string
			code   int
			reason string
		}{
			{[]string{"exec", name, "/nonexistent"}, 127, missing},
			{[]string{"exec", name, "nonexistent"}, 127, `"nonexistent": executable file not found in $PATH`},
			{[]string{"exec", name, "/etc/passwd"}, 126, `"/etc/passwd": permission denied`},
			{[]string{"exec", "-i", name, "/nonexistent"}, 127, missing},
			{[]string{"exec", "-d", name, "/nonexistent"}, 127, missing},
			{[]string{"run", "--rm", image, "/nonexistent"}, 127, missing},
			{[]string{"run", "--rm", image, "/etc"}, 126, `"/etc": permission denied`},
			{[]string{"run", "-d", "--rm", image, "/nonexistent"}, 127, missing},
			{[]string{"start", created}, 127, missing},
			{[]string{"start", "-a", created}, 127, missing},
		}
		for _, c := range cases {
			res := m.run(t, c.args...)
			wantCode(t, res, c.code)
			if suite.podman {
				continue
			}
			wantOneErrorLine(t, res.Stderr, c.reason, res.String())
			if res.Stdout != "" {
				t.Errorf("want nothing on stdout, got: %s", res)
			}
		}
		if !suite.podman {
			res := m.run(t, "exec", name, "/nonexistent")
			if !strings.HasPrefix(res.Stderr, "Error: OCI runtime exec failed: ") {
				t.Errorf("want Docker's words, \"OCI runtime exec failed: ...\", got: %s", res)
			}
		}
		// The process's own stderr still passes, untouched.
		res := m.run(t, "exec", name, "sh", "-c", "echo exec failed: mine >&2; exit 3")
		wantCode(t, res, 3)
		if res.Stderr != "exec failed: mine\n" {
			t.Errorf("want the process's stderr as it wrote it, got: %s", res)
		}

		// With a terminal, runc's copy would come through the terminal.
		p := m.startPTY(t, 24, 80, "exec", "-it", name, "/nonexistent")
		if code := p.wait(); code != 127 {
			t.Errorf("exec -it: want exit 127, got %d", code)
		}
		<-p.readEOF
		p.mu.Lock()
		out := p.buf.String()
		p.mu.Unlock()
		if !suite.podman {
			wantOneErrorLine(t, out, missing, "exec -it: "+out)
		}
	})
}

// wantOneErrorLine checks that out is one non-empty line that starts with
// "Error: " and holds reason exactly once.
func wantOneErrorLine(t *testing.T, out, reason, context string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "Error: ") {
		t.Errorf("want exactly one line starting with \"Error: \", got %d: %s", len(lines), context)
	}
	if n := strings.Count(out, reason); n != 1 {
		t.Errorf("want the runtime's reason %q once, got it %d times: %s", reason, n, context)
	}
}

// TestFailedStartOfRmContainer: conmon runs the exit command (`container
// cleanup --rm`) also when the runtime could not create the container. A
// --rm container that never started must survive that cleanup, so that
// whoever is starting it reports the runtime's error (not "no such
// container", which a loaded machine used to produce through the docker
// CLI) and then removes it, as Docker does for AutoRemove.
func TestFailedStartOfRmContainer(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m.localOnly(t, "runs conmon's exit command itself, against the store")
		name := cname(t)
		m.cleanup(t, name)
		id := m.must(t, "create", "--rm", "--name", name, image, "/nonexistent").Out()
		m.must(t, "container", "cleanup", "--rm", id)
		wantCode(t, m.run(t, "container", "exists", name), 0)

		res := m.run(t, "start", name)
		wantErr(t, res, 127, "stat /nonexistent: no such file or directory")
		if strings.Contains(res.Stderr, "no such container") {
			t.Errorf("the start's own error was lost: %s", res)
		}
		wantCode(t, m.run(t, "container", "exists", name), 1)
	})
}
