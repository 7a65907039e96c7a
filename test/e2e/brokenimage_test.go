package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// storeImageDir is where containers/storage keeps image id's data items
// under the mode's store (<root>/<driver>-images/<id>).
func (m *Mode) storeImageDir(t testing.TB, id string) string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(m.root, "*-images", id))
	if len(dirs) != 1 {
		t.Fatalf("image %s: want one data directory under %s, got %v", id, m.root, dirs)
	}
	return dirs[0]
}

// breakManifest deletes image id's manifest from the store, as a crash or
// a lost file would: containers/storage names a data item by its key, or
// "=" + base64(key) when the key has other characters than [0-9a-z.].
func (m *Mode) breakManifest(t testing.TB, id string) {
	t.Helper()
	dir := m.storeImageDir(t, id)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		key := e.Name()
		if enc, ok := strings.CutPrefix(key, "="); ok {
			b, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				continue
			}
			key = string(b)
		}
		if strings.HasPrefix(key, "manifest") {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatalf("image %s has no manifest file in %s", id, dir)
	}
}

// layerCount is how many layers the mode's store records.
func (m *Mode) layerCount(t testing.TB) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(m.root, "*-layers", "*layers.json"))
	if len(files) == 0 {
		t.Fatalf("no layers.json under %s", m.root)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var layers []json.RawMessage
		if err := json.Unmarshal(b, &layers); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		n += len(layers)
	}
	return n
}

// stderrLines are the non-empty lines of a call's stderr.
func stderrLines(res Result) []string {
	var out []string
	for _, l := range strings.Split(res.Stderr, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func countContaining(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// TestBrokenImage: an image whose manifest is gone no longer stops images
// (it is named on stderr), inspect says what is wrong in one line, and
// rmi and image prune remove such images.
func TestBrokenImage(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "run", "--name", name, image, "touch", "/x")
		byRmi := s.must(t, "commit", "-q", name, "localhost/broken:1").Out()
		byPrune := s.must(t, "commit", "-q", name, "localhost/alsobroken:1").Out()
		s.must(t, "commit", "-q", name, "localhost/fine:1")
		s.breakManifest(t, byRmi)
		s.breakManifest(t, byPrune)

		res := s.must(t, "images", "--format", "{{.Repository}}:{{.Tag}}")
		if got := res.Lines(); len(got) != 2 || !strings.Contains(res.Stdout, image) || !strings.Contains(res.Stdout, "localhost/fine:1") {
			t.Errorf("images: want the fixture and localhost/fine:1 listed: %s", res)
		}
		lines := stderrLines(res)
		if len(lines) != 2 || countContaining(lines, "WARNING: image "+byRmi[:12]+" is broken") != 1 ||
			countContaining(lines, "WARNING: image "+byPrune[:12]+" is broken") != 1 || countContaining(lines, "its manifest is missing") != 2 {
			t.Errorf("images: want one warning line per broken image on stderr: %s", res)
		}
		s.must(t, "images", "-a", "-q")

		res = s.run(t, "image", "inspect", "localhost/broken:1")
		wantErr(t, res, 125, "image "+byRmi[:12]+" is broken: its manifest is missing")
		if lines := stderrLines(res); len(lines) != 1 {
			t.Errorf("inspect of a broken image: want one line on stderr: %s", res)
		}

		res = s.must(t, "rmi", byRmi[:12])
		if !strings.Contains(res.Stdout, "Deleted: sha256:"+byRmi) {
			t.Errorf("rmi of a broken image: want it deleted: %s", res)
		}
		// A broken image can only be removed, so prune takes it even
		// though it is named.
		res = s.must(t, "image", "prune", "-f")
		if !strings.Contains(res.Stdout, byPrune) {
			t.Errorf("image prune: want the broken image %s removed: %s", byPrune, res)
		}
		wantCode(t, s.run(t, "image", "exists", "localhost/alsobroken:1"), 1)
		s.must(t, "image", "exists", "localhost/fine:1")
		res = s.must(t, "images")
		if strings.Contains(res.Stderr, "WARNING") {
			t.Errorf("images after rmi and prune: %s", res)
		}
	})
}

// TestCommitBadNameLeavesNothing: a commit refused for its name says so in
// one line and writes nothing.
func TestCommitBadNameLeavesNothing(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "run", "--name", name, image, "touch", "/x")
		before := s.must(t, "images", "-a", "-q", "--no-trunc").Out()
		layers := s.layerCount(t)
		res := s.run(t, "commit", name, "bad tag")
		wantErr(t, res, 125, `invalid image name "bad tag"`)
		if lines := stderrLines(res); len(lines) != 1 {
			t.Errorf("want one line on stderr: %s", res)
		}
		if after := s.must(t, "images", "-a", "-q", "--no-trunc").Out(); after != before {
			t.Errorf("a refused commit changed the images: before %q, after %q", before, after)
		}
		if n := s.layerCount(t); n != layers {
			t.Errorf("a refused commit left layers: %d, was %d", n, layers)
		}
	})
}

// TestCommitKilled kills commits (the CLI, or in the remote modes the
// service doing the work) at random points: afterwards images works, no
// broken or unnamed image is left, and the store holds exactly one layer per
// commit that completed.
func TestCommitKilled(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "run", "--name", name, image, "dd", "if=/dev/urandom", "of=/big", "bs=1M", "count=8")
		layers0 := s.layerCount(t)
		// The kills aim at the end of a commit, where the image is
		// written and named: span starts as one commit's duration and
		// follows what the kills find, shrinking when a commit beat its
		// kill and growing when it did not (a tuning only: nothing
		// checked depends on how long anything takes).
		start := time.Now()
		ref := s.must(t, "commit", "-q", name, "localhost/killed:ref").Out()
		span := time.Since(start)
		s.must(t, "rmi", ref)

		survivors := 0
		for i := range 8 {
			tag := "localhost/killed:" + string(rune('a'+i))
			delay := span/2 + time.Duration(rand.Int64N(int64(span)*3/4+1))
			s.killCommitAfter(t, delay, name, tag)

			res := s.must(t, "images", "-a", "--format", "{{.Repository}}:{{.Tag}}")
			if strings.Contains(res.Stderr, "WARNING") {
				t.Errorf("after a commit killed after %s: images reports broken images: %s", delay, res)
			}
			if strings.Contains(res.Stdout, "<none>") {
				t.Errorf("after a commit killed after %s: an unnamed image is left: %s", delay, res)
			}
			if strings.Contains(res.Stdout, tag) {
				survivors++ // the commit had completed: it must be whole
				s.must(t, "run", "--rm", tag, "test", "-s", "/big")
				span = span * 4 / 5
			} else {
				span = span * 5 / 4
			}
			if n := s.layerCount(t); n != layers0+survivors {
				t.Errorf("after a commit killed after %s: %d layers, want %d (%d before, %d commits completed)",
					delay, n, layers0+survivors, layers0, survivors)
			}
			if ents, _ := os.ReadDir(filepath.Join(s.root, "skiff", "pending-commits")); len(ents) != 0 {
				t.Errorf("after a commit killed after %s: the killed commit's records are left: %v", delay, ents)
			}
		}
		t.Logf("%d of 8 killed commits had completed", survivors)
	})
}

// TestCommitsWhileListing: commits running side by side while images runs
// (each store open and each listing looks for dead commits to undo) all
// complete whole; in the remote modes they share one service process.
func TestCommitsWhileListing(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "run", "--name", name, image, "dd", "if=/dev/urandom", "of=/big", "bs=1M", "count=4")
		var wg sync.WaitGroup
		results := make([]Result, 3)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = s.run(t, "commit", "-q", name, fmt.Sprintf("localhost/side:%d", i))
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		for listing := true; listing; {
			select {
			case <-done:
				listing = false
			default:
				s.must(t, "images", "-a", "-q")
			}
		}
		for i, res := range results {
			if res.Code != 0 {
				t.Errorf("commit %d: %s", i, res)
				continue
			}
			s.must(t, "run", "--rm", fmt.Sprintf("localhost/side:%d", i), "test", "-s", "/big")
		}
	})
}

// killCommitAfter starts `commit ctr tag` and SIGKILLs, after delay, the
// process doing the work: the CLI's process group, or in a remote mode the
// service's (which is then started again on the same store).
func (m *Mode) killCommitAfter(t *testing.T, delay time.Duration, ctr, tag string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	defer cancel()
	c := m.cmd(ctx, "commit", "-q", ctr, tag)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	if m.Remote {
		_ = syscall.Kill(-m.svc.cmd.Process.Pid, syscall.SIGKILL)
		<-m.svc.exited
	} else {
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
	}
	_ = c.Wait()
	if m.Remote {
		// isolated's clean-up stops whichever service is current.
		if err := m.startService(filepath.Dir(m.root)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSaveReplacesFile: save -o writes over a file already there (Docker
// does), and a save that fails leaves that file as it was.
func TestSaveReplacesFile(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		dir := m.tempDir(t)
		out := filepath.Join(dir, "out.tar")
		old := "an older archive\n"
		m.writeFile(t, out, old)

		res := m.run(t, "save", "-o", out, "localhost/nosuch:1")
		wantErr(t, res, 125, "nosuch")
		if b, _ := os.ReadFile(out); string(b) != old {
			t.Errorf("a failed save changed the file to %d bytes", len(b))
		}

		m.must(t, "save", "-o", out, image)
		if fi, err := os.Stat(out); err != nil || fi.Size() < 1024 {
			t.Fatalf("save over a file: %v %v", fi, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("save left files beside the archive: %v", ents)
		}
		dst := m.isolated(t)
		dst.must(t, "rmi", image)
		dst.must(t, "load", "-i", out)
		if got, want := dst.imageID(t, image), m.imageID(t, image); got != want {
			t.Errorf("loaded ID %s, saved %s", got, want)
		}
	})
}
