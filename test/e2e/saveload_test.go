package e2e

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		src := m.isolated(t)
		srcID := src.imageID(t, image)
		second := "localhost/second:v2"
		src.must(t, "tag", image, second)
		dir := m.tempDir(t)

		// docker-archive through -o, two images in one archive, -i.
		dockerTar := filepath.Join(dir, "images.tar")
		src.must(t, "save", "-o", dockerTar, image, second)
		dst := m.isolated(t)
		dst.must(t, "rmi", image)
		res := dst.must(t, "load", "-i", dockerTar)
		for _, n := range []string{image, second} {
			if !strings.Contains(res.Stdout, "Loaded image: "+n) {
				t.Errorf("load: want %q reported: %s", n, res)
			}
			if got := dst.imageID(t, n); got != srcID {
				t.Errorf("loaded %s has ID %s, want %s", n, got, srcID)
			}
		}

		// oci-archive through stdout and stdin.
		res = src.must(t, "save", "--format", "oci-archive", second)
		if len(res.Stdout) < 1024 {
			t.Fatalf("save to stdout wrote %d bytes", len(res.Stdout))
		}
		ociDst := m.isolated(t)
		ociDst.must(t, "rmi", image)
		res = ociDst.runWith(t, runOpts{stdin: strings.NewReader(res.Stdout)}, "load")
		if res.Code != 0 {
			t.Fatalf("load from stdin failed: %s", res)
		}
		if got := ociDst.imageID(t, second); got != srcID {
			t.Errorf("oci-archive round trip: ID %s, want %s", got, srcID)
		}
		hist := ociDst.must(t, "history", "--no-trunc", "--format", "{{.ID}}|{{.Comment}}", second)
		if !strings.Contains(hist.Stdout, srcID) {
			t.Errorf("history of the loaded image does not show its ID %s: %s", srcID, hist)
		}
		ociDst.must(t, "untag", second)
		wantCode(t, ociDst.run(t, "image", "exists", second), 1)
	})
}

// TestLoadTruncated checks that a cut archive fails clearly and leaves no
// image behind.
func TestLoadTruncated(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		archive := filepath.Join(m.tempDir(t), "full.tar")
		s.must(t, "save", "-o", archive, image)
		data, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		cut := filepath.Join(m.tempDir(t), "cut.tar")
		m.writeFile(t, cut, string(data[:len(data)/2]))
		s.must(t, "rmi", image)
		res := s.run(t, "load", "-i", cut)
		wantErr(t, res, 125, "loading")
		if out := s.must(t, "images", "-a", "-q").Out(); out != "" {
			t.Errorf("a failed load left images behind: %q", out)
		}
		garbage := filepath.Join(m.tempDir(t), "garbage.tar")
		m.writeFile(t, garbage, strings.Repeat("not an archive\n", 100))
		wantErr(t, s.run(t, "load", "-i", garbage), 125, "loading")
	})
}

// TestLoadHostileArchive loads docker-archives whose layer tries to write
// outside the store: a ../ path, an absolute path, a symlink to an outside
// directory followed by a file written through it, and a hard link to a
// host file. Whether a load fails or neutralises them, nothing outside may
// change.
func TestLoadHostileArchive(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		up := strings.Repeat("../", 40)
		cases := []struct {
			name    string
			entries func(outside string) []tarEntry
		}{
			{"dotdot", func(o string) []tarEntry {
				return []tarEntry{{name: up + strings.TrimPrefix(o, "/") + "/dotdot", body: "escaped"}}
			}},
			{"absolute", func(o string) []tarEntry { return []tarEntry{{name: o + "/absolute", body: "escaped"}} }},
			{"symlink", func(o string) []tarEntry {
				return []tarEntry{{name: "escape", link: o, typ: tar.TypeSymlink}, {name: "escape/through-link", body: "escaped"}}
			}},
			{"relative-symlink", func(o string) []tarEntry {
				return []tarEntry{{name: "escape", link: up + strings.TrimPrefix(o, "/"), typ: tar.TypeSymlink},
					{name: "escape/through-link", body: "escaped"}}
			}},
			{"hardlink", func(o string) []tarEntry {
				return []tarEntry{{name: "hard", link: up + strings.TrimPrefix(o, "/") + "/secret", typ: tar.TypeLink}}
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				outside := m.tempDir(t)
				secret := filepath.Join(outside, "secret")
				m.writeFile(t, secret, "host data")
				layer := tarOf(t, append([]tarEntry{{name: "ok.txt", body: "fine"}}, tc.entries(outside)...))
				archive := filepath.Join(m.tempDir(t), "hostile.tar")
				ref := "localhost/hostile-" + tc.name + ":latest"
				m.writeFile(t, archive, string(dockerArchive(t, ref, layer)))
				s := m.isolated(t)
				res := s.run(t, "load", "-i", archive)
				if res.Code != 0 && res.Code != 125 {
					t.Errorf("want success or a clean failure, got: %s", res)
				}
				t.Logf("%s: load exit %d", tc.name, res.Code)
				entries, err := os.ReadDir(outside)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					if e.Name() != "secret" {
						t.Errorf("the hostile archive wrote %s outside the store", filepath.Join(outside, e.Name()))
					}
				}
				var st syscall.Stat_t
				if err := syscall.Stat(secret, &st); err != nil {
					t.Fatal(err)
				} else if st.Nlink != 1 {
					t.Errorf("the hostile archive hard-linked the host file %s (%d links)", secret, st.Nlink)
				}
				if data, _ := os.ReadFile(secret); string(data) != "host data" {
					t.Errorf("the host file changed: %q", data)
				}
				for _, p := range []string{"/dotdot", "/absolute", "/through-link", "/hard"} {
					if _, err := os.Lstat(p); err == nil {
						t.Errorf("the hostile archive wrote %s on the host", p)
					}
				}
			})
		}
	})
}

type tarEntry struct {
	name, body, link string
	typ              byte
}

func tarOf(t testing.TB, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: e.typ, Linkname: e.link, Format: tar.FormatPAX}
		if e.typ == 0 {
			h.Typeflag = tar.TypeReg
		} else {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dockerArchive wraps one uncompressed layer into a docker-archive named ref.
func dockerArchive(t testing.TB, ref string, layer []byte) []byte {
	t.Helper()
	return dockerArchiveFor(t, ref, runtime.GOARCH, layer)
}

// dockerArchiveFor is dockerArchive for an image of another architecture.
func dockerArchiveFor(t testing.TB, ref, arch string, layer []byte) []byte {
	t.Helper()
	sum := sha256.Sum256(layer)
	diffID := "sha256:" + hex.EncodeToString(sum[:])
	cfg, err := json.Marshal(map[string]any{
		"architecture": arch, "os": "linux",
		"config":  map[string]any{"Cmd": []string{"/ok.txt"}},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{diffID}},
		"history": []map[string]any{{"created_by": "hostile test"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cfgSum := sha256.Sum256(cfg)
	cfgName := hex.EncodeToString(cfgSum[:]) + ".json"
	manifest, err := json.Marshal([]map[string]any{{"Config": cfgName, "RepoTags": []string{ref}, "Layers": []string{"layer.tar"}}})
	if err != nil {
		t.Fatal(err)
	}
	return tarOf(t, []tarEntry{
		{name: "layer.tar", body: string(layer)},
		{name: cfgName, body: string(cfg)},
		{name: "manifest.json", body: string(manifest)},
	})
}

func TestRmiInUse(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		name := cname(t)
		s.must(t, "create", "--name", name, image, "true")
		res := s.run(t, "rmi", image)
		code := 125
		if suite.podman {
			code = 2
		}
		wantErr(t, res, code, name)
		wantStderr(t, res, "in use")
		// Another name can go: the image stays.
		s.must(t, "tag", image, "localhost/alias:1")
		s.must(t, "rmi", "localhost/alias:1")
		s.must(t, "rmi", "-f", image)
		if st := s.psStatus(t); len(st) != 0 {
			t.Errorf("rmi -f left its containers: %v", st)
		}
		wantCode(t, s.run(t, "image", "exists", image), 1)
	})
}
