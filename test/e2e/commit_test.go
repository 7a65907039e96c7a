package e2e

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitThenRun(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "run", "--name", name, image, "sh", "-c", "echo committed > /greeting; rm /etc/group")
		diff := s.must(t, "diff", name)
		for _, want := range []string{"A /greeting", "D /etc/group"} {
			if !strings.Contains(diff.Stdout, want+"\n") {
				t.Errorf("diff: want %q: %s", want, diff)
			}
		}
		// The empty files runc makes as mount points for the engine's
		// /etc/hosts, /etc/hostname and /etc/resolv.conf are not changes.
		for _, unwanted := range []string{"/etc/hosts\n", "/etc/hostname\n", "/etc/resolv.conf\n"} {
			if strings.Contains(diff.Stdout, unwanted) {
				t.Errorf("diff: lists the mount point %q: %s", strings.TrimSpace(unwanted), diff)
			}
		}
		ref := "localhost/committed:1"
		s.must(t, "commit", "-c", `CMD ["cat", "/greeting"]`, "-c", "LABEL stage=two", "-m", "made by a test", "--author", "tester", name, ref)
		wantOut(t, s.must(t, "run", "--rm", ref), "committed")
		wantCode(t, s.run(t, "run", "--rm", ref, "test", "-e", "/etc/group"), 1)
		wantOut(t, s.must(t, "image", "inspect", "--format", "{{.Author}} {{index .Config.Labels \"stage\"}}", ref), "tester two")
		hist := s.must(t, "history", "--format", "{{.Comment}}", ref)
		if len(hist.Lines()) != 2 || hist.Lines()[0] != "made by a test" {
			t.Errorf("history: want the commit message on top of the base layer: %s", hist)
		}
		wantCode(t, s.run(t, "commit", "nosuch-ctr", "localhost/x:1"), 125)
		d := s.must(t, "image", "diff", ref)
		if !strings.Contains(d.Stdout, "A /greeting\n") || !strings.Contains(d.Stdout, "D /etc/group\n") {
			t.Errorf("image diff of the committed image: want A /greeting and D /etc/group: %s", d)
		}
		if strings.Contains(d.Stdout, "/etc/hosts\n") || strings.Contains(d.Stdout, "/etc/resolv.conf\n") {
			t.Errorf("the committed layer keeps the engine's empty mount points: %s", d)
		}
		wantCode(t, s.run(t, "run", "--rm", "--entrypoint", "test", ref, "-s", "/etc/hosts"), 0)

		out := filepath.Join(m.tempDir(t), "export.tar")
		s.must(t, "export", "-o", out, name)
		files := tarNames(t, out)
		if !files["greeting"] || !files["bin/busybox"] {
			t.Errorf("export: want the container's whole filesystem (greeting, bin/busybox), got %d entries", len(files))
		}
		if files["etc/group"] {
			t.Errorf("export: a file the container removed is in the archive")
		}
	})
}

// tarNames lists the entries of a tar file, without a leading ./ or /.
func tarNames(t testing.TB, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := map[string]bool{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		n := filepath.Clean(h.Name)
		for len(n) > 0 && (n[0] == '/' || n[0] == '.') && n != "." {
			n = n[1:]
		}
		names[n] = true
	}
}

func TestImagePrune(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "run", "--name", name, image, "touch", "/x")
		dangling := s.must(t, "commit", "-q", name).Out()
		unused := s.must(t, "commit", "-q", name, "localhost/unused:1").Out()
		s.must(t, "image", "prune", "-f")
		wantCode(t, s.run(t, "image", "exists", dangling), 1)
		s.must(t, "image", "exists", unused)
		s.must(t, "image", "prune", "-a", "-f")
		wantCode(t, s.run(t, "image", "exists", unused), 1)
		s.must(t, "image", "exists", image) // its container keeps it
	})
}

func TestSearch(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "v7")
		m.pushFixture(t, reg, ref)
		repo := ref[:len(ref)-len(":v7")]
		res := m.mustReg(t, reg, append(append([]string{"search", "--format", "{{.Name}}"}, m.regArgs(reg)...), repo)...)
		wantOut(t, res, repo)
		res = m.mustReg(t, reg, append(append([]string{"search", "--list-tags", "--format", "{{.Name}}:{{.Tag}}"}, m.regArgs(reg)...), repo)...)
		wantOut(t, res, ref)
	})
}
