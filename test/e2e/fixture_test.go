package e2e

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// writeBusyboxRootfs is the fallback for hack/make-busybox-rootfs.sh: the
// same layout (busybox, applet links, passwd with root and nobody, group,
// /var/www/index.html), deterministic (sorted, fixed mtime, root-owned).
func writeBusyboxRootfs(out string) error {
	const busybox = "/usr/bin/busybox"
	bb, err := os.ReadFile(busybox)
	if err != nil {
		return fmt.Errorf("fixture needs busybox-static: %w", err)
	}
	list, err := exec.Command(busybox, "--list-full").Output()
	if err != nil {
		return fmt.Errorf("%s --list-full: %w", busybox, err)
	}
	type entry struct {
		hdr  tar.Header
		body []byte
	}
	mtime := time.Unix(0, 0)
	entries := map[string]entry{}
	dir := func(name string, mode int64) {
		entries[name+"/"] = entry{hdr: tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode}}
	}
	file := func(name string, mode int64, body string) {
		entries[name] = entry{hdr: tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(body))}, body: []byte(body)}
	}
	for _, d := range []string{"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "home", "proc", "sys", "dev", "run", "var", "var/www"} {
		dir(d, 0o755)
	}
	dir("root", 0o700)
	dir("tmp", 0o1777)
	dir("var/tmp", 0o1777)
	file("bin/busybox", 0o755, string(bb))
	for _, applet := range strings.Fields(string(list)) {
		if applet == "bin/busybox" {
			continue
		}
		if _, ok := entries[applet]; ok {
			continue
		}
		rel := strings.Repeat("../", strings.Count(applet, "/")) + "bin/busybox"
		if path.Dir(applet) == "bin" {
			rel = "busybox"
		}
		entries[applet] = entry{hdr: tar.Header{Typeflag: tar.TypeSymlink, Name: applet, Linkname: rel, Mode: 0o777}}
	}
	if _, ok := entries["bin/sh"]; !ok {
		entries["bin/sh"] = entry{hdr: tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/sh", Linkname: "busybox", Mode: 0o777}}
	}
	file("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
	file("etc/group", 0o644, "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n")
	file("var/www/index.html", 0o644, "<!DOCTYPE html>\n<html><body>\n<h1>hello from skiff</h1>\n</body></html>\n")

	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	for _, n := range names {
		e := entries[n]
		e.hdr.ModTime = mtime
		e.hdr.Format = tar.FormatGNU
		if err := tw.WriteHeader(&e.hdr); err != nil {
			f.Close()
			return err
		}
		if _, err := tw.Write(e.body); err != nil {
			f.Close()
			return err
		}
	}
	if err := tw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestFixtureFallback checks the Go fallback against what the cases rely on,
// since it only runs when hack/make-busybox-rootfs.sh is missing.
func TestFixtureFallback(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := writeBusyboxRootfs(out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]*tar.Header{}
	var passwd string
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h
		if h.Name == "etc/passwd" {
			b, _ := io.ReadAll(tr)
			passwd = string(b)
		}
	}
	for name, typ := range map[string]byte{"bin/busybox": tar.TypeReg, "bin/sh": tar.TypeSymlink,
		"bin/sleep": tar.TypeSymlink, "tmp/": tar.TypeDir, "var/www/index.html": tar.TypeReg, "etc/group": tar.TypeReg} {
		if h := got[name]; h == nil || h.Typeflag != typ {
			t.Errorf("fixture: %s missing or of the wrong type (%v)", name, h)
		}
	}
	if !strings.Contains(passwd, "nobody:x:65534:65534:") {
		t.Errorf("fixture: /etc/passwd has no nobody: %q", passwd)
	}
}
