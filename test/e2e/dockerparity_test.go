package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cases here hold skiff to what a Docker user sees from the same
// command line (alias docker=skiff): prompts, messages and exit codes.

// Docker's questions, as its prune commands print them on stdout.
const (
	ctrPruneWarning = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
	imgPruneWarning = "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
)

func TestPrunePrompts(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "create", "--name", name, image, "true")
		id := s.containerID(t, name)

		// Anything but y declines: n, yes, an empty line, no input at all.
		for _, answer := range []string{"n\n", "yes\n", "\n", ""} {
			res := s.runWith(t, runOpts{stdin: strings.NewReader(answer)}, "container", "prune")
			wantCode(t, res, 0)
			if !suite.podman && (res.Stdout != ctrPruneWarning || res.Stderr != "") {
				t.Errorf("container prune answered %q: want only the question on stdout, got: %s", answer, res)
			}
			wantCode(t, s.run(t, "container", "exists", name), 0)
		}

		res := s.runWith(t, runOpts{stdin: strings.NewReader("y\n")}, "container", "prune")
		wantCode(t, res, 0)
		if want := ctrPruneWarning + "Deleted Containers:\n" + id + "\n\nTotal reclaimed space: "; !suite.podman &&
			(!strings.HasPrefix(res.Stdout, want) || strings.Count(res.Stdout, "\n") != 5) {
			t.Errorf("container prune answered y: want stdout %q and the size, got: %s", want, res)
		}
		wantCode(t, s.run(t, "container", "exists", name), 1)

		// -f asks nothing; with nothing to remove only the total is printed.
		s.must(t, "create", "--name", name, image, "true")
		s.must(t, "container", "prune", "-f")
		wantCode(t, s.run(t, "container", "exists", name), 1)
		if res := s.must(t, "container", "prune", "-f"); !suite.podman && res.Stdout != "Total reclaimed space: 0B\n" {
			t.Errorf("container prune -f with nothing to prune: %s", res)
		}

		// image prune asks the same way.
		s.must(t, "run", "--name", name, image, "touch", "/x")
		dangling := s.must(t, "commit", "-q", name).Out()
		res = s.runWith(t, runOpts{stdin: strings.NewReader("n\n")}, "image", "prune")
		wantCode(t, res, 0)
		if !suite.podman && res.Stdout != imgPruneWarning {
			t.Errorf("image prune answered n: want only the question, got: %s", res)
		}
		s.must(t, "image", "exists", dangling)
		res = s.runWith(t, runOpts{stdin: strings.NewReader("Y\n")}, "image", "prune")
		wantCode(t, res, 0)
		if !suite.podman && (!strings.HasPrefix(res.Stdout, imgPruneWarning+"Deleted Images:\ndeleted: sha256:"+strings.TrimPrefix(dangling, "sha256:")+"\n") ||
			!strings.Contains(res.Stdout, "\n\nTotal reclaimed space: ")) {
			t.Errorf("image prune answered Y: want Docker's report of %s, got: %s", dangling, res)
		}
		wantCode(t, s.run(t, "image", "exists", dangling), 1)
	})
}

// TestTTYRequired: -it needs a terminal on the client's stdin, as Docker's
// run, exec and attach insist; without one nothing is created or run.
func TestTTYRequired(t *testing.T) {
	if suite.podman {
		t.Skip("podman only warns when -it has no terminal; Docker and skiff refuse")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		const notATTY = "Error: the input device is not a TTY\n"
		piped := func(args ...string) Result {
			return m.runWith(t, runOpts{stdin: strings.NewReader("echo piped\n")}, args...)
		}
		name := cname(t)
		m.cleanup(t, name, name+"-up")
		for _, args := range [][]string{
			{"run", "-it", "--rm", "--name", name, image, "true"},
			{"run", "-ti", "--name", name, image, "true"},
			{"run", "-i", "-t", "--name", name, image, "true"},
		} {
			res := piped(args...)
			if res.Code != 125 || res.Stderr != notATTY || res.Stdout != "" {
				t.Errorf("want exit 125 and only %q on stderr, got: %s", notATTY, res)
			}
			wantCode(t, m.run(t, "container", "exists", name), 1)
		}
		// -t alone, -i alone and -d take any stdin, as with Docker.
		wantOut(t, piped("run", "--rm", "-t", image, "echo", "tty"), "tty")
		wantOut(t, piped("run", "--rm", "-i", image, "cat"), "echo piped")
		m.must(t, "run", "-dit", "--name", name+"-up", image, "sh")

		res := piped("exec", "-it", name+"-up", "true")
		if res.Code != 125 || res.Stderr != notATTY {
			t.Errorf("exec -it: want exit 125 and %q, got: %s", notATTY, res)
		}
		// A missing container is named first, as Docker's exec does.
		res = piped("exec", "-it", "nosuch-"+name, "true")
		wantCode(t, res, 125)
		if strings.Contains(res.Stderr, "TTY") {
			t.Errorf("exec -it of a missing container: want the missing container named, got: %s", res)
		}
		wantOut(t, piped("exec", "-i", name+"-up", "cat"), "echo piped")

		res = piped("attach", name+"-up")
		if res.Code != 125 || res.Stderr != notATTY {
			t.Errorf("attach to a -t container: want exit 125 and %q, got: %s", notATTY, res)
		}
	})
}

// TestLogsTailAll: --tail takes Docker's values; anything but a count
// shows everything.
func TestLogsTailAll(t *testing.T) {
	if suite.podman {
		t.Skip("podman's --tail takes numbers only; Docker's (and skiff's) also all")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "run", "--name", name, image, "sh", "-c", "echo one; echo two; echo three")
		for _, tail := range []string{"all", "-1", "-5", "garbage"} {
			wantOut(t, m.run(t, "logs", "--tail", tail, name), "one\ntwo\nthree")
		}
		wantOut(t, m.run(t, "logs", "-n", "1", name), "three")
		wantOut(t, m.run(t, "logs", "--tail=0", name), "")
	})
}

// TestRmForceMissing: rm -f says nothing about names that are not there.
func TestRmForceMissing(t *testing.T) {
	if suite.podman {
		t.Skip("podman's rm -f fails on a missing name (its --ignore does not); Docker's and skiff's ignore it")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		a, b := cname(t, "a"), cname(t, "b")
		m.cleanup(t, a, b)
		m.must(t, "create", "--name", a, image, "true")
		m.must(t, "run", "-d", "--name", b, image, "sleep", "1000")
		res := m.rmForce(t, a, "nosuch-"+a, b)
		wantCode(t, res, 0)
		if res.Stdout != a+"\n"+b+"\n" || res.Stderr != "" {
			t.Errorf("rm -f a nosuch b: want stdout %q and nothing on stderr, got: %s", a+"\n"+b+"\n", res)
		}
		res = m.rmForce(t, "nosuch-"+a)
		if res.Code != 0 || res.Stdout != "" || res.Stderr != "" {
			t.Errorf("rm -f nosuch: want exit 0 and no output, got: %s", res)
		}
		res = m.run(t, "rm", "nosuch-"+a)
		if res.Code == 0 || res.Stdout != "" {
			t.Errorf("rm nosuch without -f: want an error, got: %s", res)
		}
	})
}

// TestRelativeBind: -v and --mount resolve a source starting with "."
// against the working directory, as Docker's CLI does; a bare name is a
// named volume.
func TestRelativeBind(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		dir := m.tempDir(t)
		m.writeFile(t, filepath.Join(dir, "f"), "from the host\n")
		rel, err := filepath.Rel(suite.work, dir)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("the mode's scratch dir %s is not under the CLI's working directory %s", dir, suite.work)
		}
		rel = "./" + rel
		wantOut(t, m.run(t, "run", "--rm", "-v", rel+":/data:ro", image, "cat", "/data/f"), "from the host")
		wantOut(t, m.run(t, "run", "--rm", "-v", rel+"/../"+filepath.Base(dir)+":/data", image, "cat", "/data/f"), "from the host")
		wantOut(t, m.run(t, "run", "--rm", "--mount", "type=bind,src="+rel+",dst=/data,readonly", image, "cat", "/data/f"), "from the host")
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "create", "--name", name, "-v", rel+":/data", image, "true")
		if got := m.inspectField(t, name, "{{range .Mounts}}{{.Source}}{{end}}"); got != dir {
			t.Errorf("inspect: want the absolute source %s, got %q", dir, got)
		}
		vol := cname(t, "vol")
		t.Cleanup(func() { m.run(t, "volume", "rm", "-f", vol) })
		m.must(t, "run", "--rm", "-v", vol+":/data", image, "true")
		m.must(t, "run", "--rm", "--mount", "type=volume,src="+vol+",dst=/data", image, "true")
		wantCode(t, m.run(t, "volume", "exists", vol), 0)
	})
}

// TestLogoutNotLoggedIn: logout succeeds when nothing is stored, with
// Docker's words, also before the auth file exists.
func TestLogoutNotLoggedIn(t *testing.T) {
	if suite.podman {
		t.Skip("podman's logout of a registry it holds nothing for fails; Docker's (and skiff's) succeeds")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		missing := filepath.Join(m.tempDir(t), "none", "auth.json")
		res := m.run(t, "logout", "--authfile", missing, "registry.example.invalid:5000")
		if res.Code != 0 || res.Stdout != "Removing login credentials for registry.example.invalid:5000\n" || res.Stderr != "" {
			t.Errorf("logout without an auth file: want Docker's line and exit 0, got: %s", res)
		}
		res = m.run(t, "logout", "--authfile", missing, "--all")
		wantCode(t, res, 0)
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Errorf("logout created %s (%v)", missing, err)
		}
		// A file without that registry: the same.
		present := filepath.Join(m.tempDir(t), "auth.json")
		m.writeFile(t, present, `{"auths":{}}`)
		wantOut(t, m.run(t, "logout", "--authfile", present, "https://registry.example.invalid/v1/"),
			"Removing login credentials for registry.example.invalid")
	})
}

// TestNotImplemented: Docker's commands that skiff lacks say so in one
// line, whatever flags follow; typos of real commands keep cobra's advice.
func TestNotImplemented(t *testing.T) {
	if suite.podman {
		t.Skip("podman has these commands")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		for _, args := range [][]string{
			{"system", "prune", "-f"},
			{"volume", "update", "--availability", "drain", "v"},
			{"cp", "x:/etc/hostname", "."},
			{"build", "-t", "x", "."},
			{"container", "top", "x"},
		} {
			path := args[0]
			if args[0] == "system" || args[0] == "volume" || args[0] == "container" {
				path += " " + args[1]
			}
			res := m.run(t, args...)
			if want := `Error: "` + path + `" is not implemented in skiff yet` + "\n"; res.Code != 125 || res.Stderr != want || res.Stdout != "" {
				t.Errorf("want exit 125 and only %q, got: %s", want, res)
			}
		}
		res := m.run(t, "contianer", "ls")
		wantErr(t, res, 125, `unknown command "contianer" for "skiff" Did you mean this? container`)
		wantCode(t, m.run(t, "system", "events", "--since", "1s", "--until", "0s"), 0)
	})
}

// TestHelpExamples: help shows Docker's flag names and an example.
func TestHelpExamples(t *testing.T) {
	if suite.podman {
		t.Skip("checks skiff's help text")
	}
	forModes(t, func(t *testing.T, m *Mode) {
		for _, args := range [][]string{{"run", "--help"}, {"stop", "--help"}, {"container", "prune", "--help"}} {
			res := m.must(t, args...)
			if !strings.Contains(res.Stdout, "\nExamples:\n  skiff ") {
				t.Errorf("%v: no example: %s", args, res)
			}
		}
		if res := m.must(t, "stop", "--help"); !strings.Contains(res.Stdout, "-t, --timeout int") {
			t.Errorf("stop --help: want Docker's --timeout: %s", res)
		}
		name := cname(t)
		m.runDetached(t, name, image, "sleep", "1000")
		m.must(t, "stop", "--timeout", "0", name)
		m.must(t, "restart", "--time", "0", name) // Podman's spelling too
	})
}

// TestTTYFirstBytes: on a terminal, run -it and exec -it print the
// container's output and nothing before it (no stray NUL or "^@").
//
// A "^@" before the output is what a driver like `script -c … </dev/null`
// produces, with Docker as with skiff: script types ^D when its own stdin
// ends, and a ^D still waiting in a canonical-mode terminal becomes a NUL
// byte once the CLI switches the terminal to raw mode; the CLI then sends
// that NUL to the container, whose terminal echoes it as "^@".
func TestTTYFirstBytes(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		output := func(p *ptyProc) string {
			t.Helper()
			if code := p.wait(); code != 0 {
				t.Errorf("exit %d, want 0", code)
			}
			<-p.readEOF
			p.mu.Lock()
			defer p.mu.Unlock()
			return p.buf.String()
		}
		if out := output(m.startPTY(t, 24, 80, "run", "-it", "--rm", image, "echo", "hello")); out != "hello\r\n" {
			t.Errorf("run -it: want exactly %q on the terminal, got %q", "hello\r\n", out)
		}
		name := cname(t)
		m.runDetached(t, name, image, "sleep", "1000")
		// exec -it relays through runc's attached terminal, which clears
		// onlcr on the container's terminal and adds the CRs itself, racing
		// with the process's first write: only the first bytes are sure.
		out := output(m.startPTY(t, 24, 80, "exec", "-it", name, "echo", "hello"))
		if !strings.HasPrefix(out, "hello") || strings.Contains(out, "\x00") || strings.Contains(out, "^@") {
			t.Errorf("exec -it: want the output to start with %q, got %q", "hello", out)
		}
	})
}
