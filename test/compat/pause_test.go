package compat

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// canPause says whether the mode's containers have a freezer: root always,
// rootless only where /sys/fs/cgroup is the cgroup v2 hierarchy.
func canPause(md *mode) bool {
	if !md.rootless {
		return true
	}
	var st syscall.Statfs_t
	const cgroup2Magic = 0x63677270
	return syscall.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == cgroup2Magic
}

// post sends a bodiless POST to the mode's Docker API and returns the status.
func (md *mode) post(t *testing.T, path string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://skiff/v1.51"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := md.httpClient().Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (md *mode) logLines(t *testing.T, name string) int {
	t.Helper()
	return len(strings.Fields(md.must(t, "logs", name).stdout))
}

// TestCLIPause: docker pause and unpause. As root the output stops, ps and
// inspect say paused, exec is refused, unpause resumes, and kill ends a
// paused container. Rootless on a cgroup v1 host pause is refused in one
// clear line (501).
func TestCLIPause(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "pause")
		md.rmf(t, name)
		id := md.must(t, "run", "-d", "--name", name, image, "sh", "-c", counter).out()
		eventually(t, func() (bool, string) {
			n := md.logLines(t, name)
			return n >= 2, "lines so far: " + strings.Repeat("|", n)
		})
		if !canPause(md) {
			r := md.docker(t, nil, "pause", name)
			wantCode(t, r, 1)
			wantContains(t, "stderr", r.stderr, "cannot pause container "+name+": rootless containers on a cgroup v1 host have no freezer cgroup")
			if got := md.post(t, "/containers/"+name+"/pause"); got != http.StatusNotImplemented {
				t.Errorf("POST pause: status %d, want 501", got)
			}
			if r := md.must(t, "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", name); r.out() != "running false" {
				t.Errorf("after a refused pause: %q", r.out())
			}
			return
		}

		r := md.must(t, "pause", name)
		if r.out() != name {
			t.Errorf("docker pause printed %q, want %q", r.out(), name)
		}
		if r := md.must(t, "inspect", "--format", "{{.State.Status}} {{.State.Running}} {{.State.Paused}}", name); r.out() != "paused true true" {
			t.Errorf("inspect of a paused container: %q", r.out())
		}
		r = md.must(t, "ps", "--filter", "name="+name, "--format", "{{.State}}|{{.Status}}")
		if !regexp.MustCompile(`^paused\|Up .+ \(Paused\)$`).MatchString(r.out()) {
			t.Errorf("docker ps row %q, want paused and Up … (Paused)", r.out())
		}
		r = md.must(t, "ps", "-q", "--no-trunc", "--filter", "status=paused")
		wantContains(t, "ps --filter status=paused", r.stdout, id)

		// The process stands still: the count it records itself does not
		// move (load can only hide a process wrongly running on).
		frozen := md.logLines(t, name)
		frozenCount := md.count(t, name)
		time.Sleep(time.Second) // 5 counts, were it running
		if n := md.count(t, name); n != frozenCount {
			t.Errorf("a paused container kept counting: %s, then %s", frozenCount, n)
		}

		r = md.docker(t, nil, "exec", name, "true")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "is paused, unpause the container before exec")
		r = md.docker(t, nil, "pause", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "is already paused")
		if got := md.post(t, "/containers/"+name+"/pause"); got != http.StatusConflict {
			t.Errorf("POST pause of a paused container: status %d, want 409", got)
		}

		r = md.must(t, "unpause", name)
		if r.out() != name {
			t.Errorf("docker unpause printed %q, want %q", r.out(), name)
		}
		eventually(t, func() (bool, string) {
			n := md.logLines(t, name)
			return n > frozen, "no new output after unpause"
		})
		if got := md.post(t, "/containers/"+name+"/unpause"); got != http.StatusConflict {
			t.Errorf("POST unpause of a running container: status %d, want 409", got)
		}
		if got := md.post(t, "/containers/"+name+"/pause"); got != http.StatusNoContent {
			t.Errorf("POST pause: status %d, want 204", got)
		}
		if got := md.post(t, "/containers/no-such-ctr-x/pause"); got != http.StatusNotFound {
			t.Errorf("POST pause of an unknown container: status %d, want 404", got)
		}

		md.must(t, "kill", name)
		if r := md.must(t, "wait", name); r.out() != "137" {
			t.Errorf("wait after killing a paused container printed %q, want 137", r.out())
		}
	})
}

// TestCLICommitRunning: `docker commit` always asks for a pause; it must
// work where pausing is possible (the container runs on, unpaused) and,
// best-effort as in Docker, where it is not (rootless on cgroup v1).
func TestCLICommitRunning(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "commitrun")
		md.rmf(t, name)
		ref := "localhost/" + name + ":1"
		t.Cleanup(func() { _ = md.dockerCmd(context.Background(), "rmi", "-f", ref).Run() })
		md.must(t, "run", "-d", "--name", name, image, "sh", "-c", "echo live > /marker; "+counter)
		eventually(t, func() (bool, string) {
			return md.logLines(t, name) >= 1, "no output yet"
		})

		r := md.must(t, "commit", name, ref)
		if !strings.HasPrefix(r.out(), "sha256:") {
			t.Errorf("commit printed %q, want the image ID", r.out())
		}
		if r := md.must(t, "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", name); r.out() != "running false" {
			t.Errorf("after docker commit: %q, want running false", r.out())
		}
		md.must(t, "commit", "--pause=false", name, ref)
		if r := md.must(t, "run", "--rm", ref, "cat", "/marker"); r.out() != "live" {
			t.Errorf("the committed image has /marker %q", r.out())
		}
		if canPause(md) {
			// A paused container stays paused across a commit.
			md.must(t, "pause", name)
			md.must(t, "commit", name, ref)
			if r := md.must(t, "inspect", "--format", "{{.State.Status}}", name); r.out() != "paused" {
				t.Errorf("after committing a paused container: %q", r.out())
			}
		}
	})
}
