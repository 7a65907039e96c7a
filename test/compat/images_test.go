package compat

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLITagRmi(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		ref := "localhost/" + uniqueName(t, "tag") + ":1"
		md.must(t, "tag", image, ref)
		r := md.must(t, "images", "--format", "{{.Repository}}:{{.Tag}}")
		wantContains(t, "images", r.stdout, ref)
		r = md.must(t, "image", "inspect", "--format", "{{.Id}}", ref)
		id := r.out()
		if want := md.must(t, "image", "inspect", "--format", "{{.Id}}", image).out(); id != want {
			t.Errorf("tag points at %s, the source at %s", id, want)
		}
		r = md.must(t, "rmi", ref)
		wantContains(t, "rmi", r.stdout, "Untagged: "+ref)
		r = md.docker(t, nil, "image", "inspect", ref)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "No such image: "+ref)
	})
}

func TestCLIPrune(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "prune")
		keep := uniqueName(t, "prune")
		md.rmf(t, name, keep)
		id := md.must(t, "run", "--name", name, "--label", name+"=1", image, "true").out()
		_ = id
		md.must(t, "run", "-d", "--name", keep, image, "sleep", "1000")
		r := md.must(t, "container", "prune", "-f", "--filter", "label="+name)
		full := md.must(t, "ps", "-a", "--filter", "name="+name, "--format", "{{.Names}}").out()
		if full != "" {
			t.Errorf("prune left %q: %s", full, r)
		}
		if md.must(t, "ps", "--filter", "name="+keep, "--format", "{{.Names}}").out() != keep {
			t.Errorf("prune removed the running container")
		}
	})
}

// dockerWithConfig runs the CLI with its own DOCKER_CONFIG, where login
// keeps the credentials it sends with pulls and pushes.
func (md *mode) dockerWithConfig(t testing.TB, cfg string, stdin io.Reader, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	c := md.dockerCmd(ctx, args...)
	for i, e := range c.Env {
		if strings.HasPrefix(e, "DOCKER_CONFIG=") {
			c.Env[i] = "DOCKER_CONFIG=" + cfg
		}
	}
	var so, se bytes.Buffer
	c.Stdin, c.Stdout, c.Stderr = stdin, &so, &se
	err := c.Run()
	r := result{args: args, stdout: so.String(), stderr: se.String(), code: exitCode(c, err)}
	if ctx.Err() != nil {
		t.Errorf("timed out: %s", r)
	}
	t.Logf("[%s] %s", md.name, r)
	return r
}

// TestCLIPushPull: commit an image with a layer of its own, push it to the
// registry, remove it, pull it back (same image ID; Docker's progress and
// status lines: the base layer already exists, the own layer is pulled),
// pull again (up to date), history, push of layers the registry has.
func TestCLIPushPull(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		repo := suite.reg.host + "/compat/" + uniqueName(t, "push")
		ref := repo + ":1"
		ctr := uniqueName(t, "pushsrc")
		md.must(t, "run", "--name", ctr, image, "sh", "-c", "echo "+ctr+" >/unique")
		md.must(t, "commit", ctr, ref)
		md.must(t, "rm", ctr)
		id := md.must(t, "image", "inspect", "--format", "{{.Id}}", ref).out()
		r := md.must(t, "push", ref)
		wantContains(t, "push", r.stdout, "The push refers to repository ["+repo+"]", ": Pushed", "1: digest: sha256:")
		md.must(t, "rmi", ref)

		r = md.must(t, "pull", ref)
		wantContains(t, "pull", r.stdout, "1: Pulling from compat/", ": Already exists", ": Pull complete", "Digest: sha256:",
			"Status: Downloaded newer image for "+ref, ref)
		if got := md.must(t, "image", "inspect", "--format", "{{.Id}}", ref).out(); got != id {
			t.Errorf("pulled image ID %s, pushed %s", got, id)
		}
		r = md.must(t, "image", "inspect", "--format", "{{json .RepoDigests}}", ref)
		wantContains(t, "RepoDigests", r.stdout, repo+"@sha256:")

		r = md.must(t, "pull", ref)
		wantContains(t, "second pull", r.stdout, "Status: Image is up to date for "+ref)

		r = md.must(t, "history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}", ref)
		if r.out() == "" {
			t.Errorf("history printed nothing")
		}

		r = md.docker(t, nil, "pull", suite.reg.host+"/compat/no-such-repo:1")
		if r.code == 0 {
			t.Errorf("pull of a missing repository succeeded: %s", r)
		}
		md.must(t, "rmi", ref)

		// push -a pushes every tag; run pulls a missing image first.
		md.must(t, "tag", image, repo+":a")
		md.must(t, "tag", image, repo+":b")
		r = md.must(t, "push", "-a", repo)
		wantContains(t, "push -a", r.stdout, ": Layer already exists", "a: digest: sha256:", "b: digest: sha256:")
		md.must(t, "rmi", repo+":a", repo+":b")
		r = md.must(t, "run", "--rm", repo+":b", "echo", "ran")
		// The CLI shows the pull's progress on stderr here.
		wantContains(t, "run", r.stderr, "Unable to find image '"+repo+":b' locally", "Status: Downloaded newer image for "+repo+":b")
		if r.stdout != "ran\n" {
			t.Errorf("run printed %q", r.stdout)
		}
		md.must(t, "rmi", repo+":b")
	})
}

// TestCLISaveLoad round-trips an image through docker save and load.
func TestCLISaveLoad(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		ref := "localhost/" + uniqueName(t, "save") + ":1"
		md.must(t, "tag", image, ref)
		id := md.must(t, "image", "inspect", "--format", "{{.Id}}", ref).out()
		archive := filepath.Join(t.TempDir(), "img.tar")
		md.must(t, "save", "-o", archive, ref)
		if names := tarNames(t, archive); !names["manifest.json"] {
			t.Fatalf("the saved archive has no manifest.json: %v", names)
		}
		// GET /images/{name}/get, which the CLI does not use, is the same
		// archive; a missing image is a 404 before any byte is sent.
		resp, err := md.httpClient().Get("http://skiff/v1.51/images/" + ref + "/get")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-tar" || len(body) < 1024 {
			t.Errorf("GET /images/%s/get: %s %q, %d bytes", ref, resp.Status, resp.Header.Get("Content-Type"), len(body))
		}
		resp, err = md.httpClient().Get("http://skiff/v1.51/images/localhost/no-such-image:1/get")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("GET /images/<missing>/get: %s, want 404", resp.Status)
		}
		md.must(t, "rmi", ref)
		f, err := os.Open(archive)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r := md.docker(t, f, "load")
		wantCode(t, r, 0)
		wantContains(t, "load", r.stdout, "Loaded image: "+ref)
		if got := md.must(t, "image", "inspect", "--format", "{{.Id}}", ref).out(); got != id {
			t.Errorf("loaded image ID %s, saved %s", got, id)
		}
		r = md.docker(t, nil, "save", "-o", archive, "localhost/no-such-image:1")
		if r.code == 0 || !strings.Contains(r.stderr, "No such image") {
			t.Errorf("save of a missing image: %s", r)
		}
		md.must(t, "rmi", ref)
	})
}

// TestCLICommit: a changed container's diff and export, committed with a
// new CMD, then run.
func TestCLICommit(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "commit")
		md.rmf(t, name)
		ref := "localhost/" + name + ":1"
		md.must(t, "run", "--name", name, image, "sh", "-c", "echo committed > /marker")
		r := md.must(t, "diff", name)
		wantContains(t, "diff", r.stdout, "A /marker")

		out := filepath.Join(t.TempDir(), "fs.tar")
		md.must(t, "export", "-o", out, name)
		if names := tarNames(t, out); !names["marker"] || !names["bin/busybox"] {
			t.Errorf("export lacks marker or bin/busybox (%d entries)", len(names))
		}

		r = md.must(t, "commit", "-c", `CMD ["cat", "/marker"]`, "-m", "a message", name, ref)
		if !strings.HasPrefix(r.out(), "sha256:") {
			t.Errorf("commit printed %q, want the image ID", r.out())
		}
		r = md.must(t, "run", "--rm", ref)
		if r.stdout != "committed\n" {
			t.Errorf("the committed image printed %q", r.stdout)
		}
		md.rmf(t, name)
		t.Cleanup(func() { _ = md.dockerCmd(context.Background(), "rmi", "-f", ref).Run() })
	})
}

// TestCLILogin checks credentials through /auth against the htpasswd
// registry: a wrong password is refused clearly, a push without login is
// refused, and after login push and pull work (the CLI sends the
// credentials in X-Registry-Auth).
func TestCLILogin(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		host := suite.authReg.host
		cfg := t.TempDir()
		r := md.dockerWithConfig(t, cfg, strings.NewReader("wrong\n"), "login", "-u", regUser, "--password-stdin", host)
		if r.code == 0 || strings.Contains(r.stdout, "Login Succeeded") {
			t.Errorf("login with a wrong password claimed success: %s", r)
		}
		wantContains(t, "stderr", r.stderr, "authentication required")

		ref := host + "/compat/" + uniqueName(t, "auth") + ":1"
		md.must(t, "tag", image, ref)
		t.Cleanup(func() { _ = md.dockerCmd(context.Background(), "rmi", "-f", ref).Run() })
		r = md.dockerWithConfig(t, cfg, nil, "push", ref)
		if r.code == 0 {
			t.Errorf("push without login succeeded: %s", r)
		}
		wantContains(t, "push without login", r.stdout+r.stderr, "authentication required")

		r = md.dockerWithConfig(t, cfg, strings.NewReader(regPassword+"\n"), "login", "-u", regUser, "--password-stdin", host)
		wantCode(t, r, 0)
		wantContains(t, "login", r.stdout, "Login Succeeded")
		r = md.dockerWithConfig(t, cfg, nil, "push", ref)
		wantCode(t, r, 0)
		md.must(t, "rmi", ref)
		r = md.dockerWithConfig(t, cfg, nil, "pull", ref)
		wantCode(t, r, 0)
		wantContains(t, "pull", r.stdout, "Digest: sha256:")
	})
}

// tarNames lists an archive's entries (leading "./" and "/" trimmed).
func tarNames(t *testing.T, path string) map[string]bool {
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
		names[strings.TrimPrefix(strings.TrimPrefix(h.Name, "./"), "/")] = true
	}
}

// TestCLIImportPruneSearch: import from stdin (fromSrc=-), prune by label,
// search the registry's catalogue.
func TestCLIImportPruneSearch(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "import")
		f, err := os.Open(suite.rootfs)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r := md.docker(t, f, "import", "-c", "LABEL "+name+"=1", "-m", "imported", "-", "localhost/"+name+":1")
		wantCode(t, r, 0)
		id := r.out()
		if !strings.HasPrefix(id, "sha256:") {
			t.Fatalf("import printed %q, want the image ID", id)
		}
		r = md.must(t, "image", "inspect", "--format", "{{.Comment}}|{{index .Config.Labels \""+name+"\"}}", "localhost/"+name+":1")
		if r.out() != "imported|1" {
			t.Errorf("imported image comment|label = %q", r.out())
		}
		// Untagged, the image is dangling: pruned by its label only.
		md.must(t, "rmi", "localhost/"+name+":1")
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		r = md.docker(t, f, "import", "-c", "LABEL "+name+"=1", "-")
		wantCode(t, r, 0)
		dangling := r.out()
		r = md.must(t, "image", "prune", "-f", "--filter", "label="+name+"=1")
		wantContains(t, "prune", r.stdout, "deleted: "+dangling, "Total reclaimed space:")
		r = md.docker(t, nil, "image", "inspect", dangling)
		wantCode(t, r, 1)

		repo := suite.reg.host + "/compat/" + name
		md.must(t, "tag", image, repo+":1")
		md.must(t, "push", repo+":1")
		md.must(t, "rmi", repo+":1")
		r = md.must(t, "search", "--format", "{{.Name}}", repo)
		wantContains(t, "search", r.stdout, "compat/"+name)
		r = md.docker(t, nil, "import", "https://example.invalid/rootfs.tar")
		if r.code == 0 || !strings.Contains(r.stderr, "not supported") {
			t.Errorf("import from a URL: %s", r)
		}
	})
}
