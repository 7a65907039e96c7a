package compat

import (
	"strings"
	"testing"
)

// The docker CLI against skiff's socket must print what it prints against
// Docker's daemon, byte for byte where the daemon decides the bytes.

// TestCLITTYFirstBytes: on a terminal, the first thing docker run -it and
// docker exec -it print is the container's own output, nothing before it.
func TestCLITTYFirstBytes(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		first := func(what string, p *ptyProc) {
			t.Helper()
			p.expect(`hello\r?\n`)
			if code := p.wait(); code != 0 {
				t.Errorf("%s exited %d", what, code)
			}
			p.mu.Lock()
			out := p.buf.String()
			p.mu.Unlock()
			if !strings.HasPrefix(out, "hello") || strings.ContainsAny(out, "\x00") || strings.Contains(out, "^@") {
				t.Errorf("%s: want the output to start with the container's \"hello\", got %q", what, out)
			}
		}
		first("docker run -it", md.startPTY(t, 24, 80, "run", "-it", "--rm", image, "echo", "hello"))

		name := uniqueName(t, "ttyfirst")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sleep", "1000")
		first("docker exec -it", md.startPTY(t, 24, 80, "exec", "-it", name, "echo", "hello"))
	})
}

// TestCLIRmForceMissing: DELETE ?force=1 of a missing container is a 404,
// as from Docker's daemon, which the CLI ignores under -f: nothing on
// stdout for that name, exit 0.
func TestCLIRmForceMissing(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		a, b := uniqueName(t, "rmfa"), uniqueName(t, "rmfb")
		md.rmf(t, a, b)
		md.must(t, "create", "--name", a, image, "true")
		md.must(t, "create", "--name", b, image, "true")
		r := md.docker(t, nil, "rm", "-f", a, "nosuch-"+a, b)
		wantCode(t, r, 0)
		if r.stdout != a+"\n"+b+"\n" {
			t.Errorf("rm -f a nosuch b: want stdout %q, got: %s", a+"\n"+b+"\n", r)
		}
		// docker CLIs before 29.7 relay the 404 on stderr; later ones
		// print nothing. Either way it is the daemon's words.
		if r.stderr != "" && !strings.Contains(r.stderr, "No such container: nosuch-"+a) {
			t.Errorf("rm -f of a missing container: unexpected stderr: %s", r)
		}
		r = md.docker(t, nil, "rm", "-f", "nosuch-"+a)
		if r.code != 0 || r.stdout != "" {
			t.Errorf("rm -f nosuch: want exit 0 and nothing on stdout, got: %s", r)
		}
	})
}

// TestCLILogsTail: the daemon reads tail as Docker's does: a count, and
// anything else means all.
func TestCLILogsTail(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "tail")
		md.rmf(t, name)
		md.must(t, "run", "--name", name, image, "sh", "-c", "echo one; echo two; echo three")
		for _, tail := range []string{"all", "-1", "garbage"} {
			if r := md.must(t, "logs", "--tail", tail, name); r.stdout != "one\ntwo\nthree\n" {
				t.Errorf("logs --tail %s: want every line, got: %s", tail, r)
			}
		}
		if r := md.must(t, "logs", "--tail", "2", name); r.stdout != "two\nthree\n" {
			t.Errorf("logs --tail 2: %s", r)
		}
	})
}
