package e2e

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// imageID is the full ID of a local image.
func (m *Mode) imageID(t testing.TB, ref string) string {
	t.Helper()
	res := m.must(t, "image", "inspect", "--format", "{{.Id}}", ref)
	return strings.TrimPrefix(res.Out(), "sha256:")
}

// regRef is a repository on r private to this test and mode.
func regRef(t testing.TB, r *registry, m *Mode, tag string) string {
	return r.Host + "/" + cname(t) + "/" + m.Name + "/busybox:" + tag
}

// pushFixture pushes the fixture image to ref and returns the manifest digest.
func (m *Mode) pushFixture(t testing.TB, r *registry, ref string, extra ...string) string {
	t.Helper()
	digestFile := filepath.Join(m.tempDir(t), "digest")
	args := append([]string{"push", "--digestfile", digestFile}, m.regArgs(r)...)
	args = append(append(args, extra...), image, ref)
	m.mustReg(t, r, args...)
	d, err := os.ReadFile(digestFile)
	if err != nil {
		t.Fatalf("push --digestfile wrote nothing: %v", err)
	}
	if !strings.HasPrefix(string(d), "sha256:") {
		t.Fatalf("push --digestfile: want a sha256 digest, got %q", d)
	}
	return string(d)
}

func TestRegistryPushPullRoundTrip(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "v1")
		digest := m.pushFixture(t, reg, ref)
		srcID := m.imageID(t, image)

		other := m.isolated(t)
		other.must(t, "rmi", image) // an empty store: the layer must be copied
		res := other.mustReg(t, reg, append(append([]string{"pull"}, other.regArgs(reg)...), ref)...)
		if !strings.Contains(res.Stderr, "Copying blob sha256:") || strings.Contains(res.Stderr, "skipped") {
			t.Errorf("pull without -q into an empty store: want blob lines on stderr, none skipped: %s", res)
		}
		// Layers already present are reported as such, pulling and pushing.
		again := other.mustReg(t, reg, append(append([]string{"pull"}, other.regArgs(reg)...), ref)...)
		if !strings.Contains(again.Stderr, "skipped: already exists") {
			t.Errorf("second pull: want the layer reported as already present: %s", again)
		}
		again = m.mustReg(t, reg, append(append([]string{"push"}, m.regArgs(reg)...), image, ref)...)
		if !strings.Contains(again.Stderr, "skipped: already exists") {
			t.Errorf("second push: want the layer reported as already in the registry: %s", again)
		}
		if got := other.imageID(t, ref); got != srcID {
			t.Errorf("pulled image ID %s, pushed %s", got, srcID)
		}
		if !strings.Contains(res.Stdout, srcID) {
			t.Errorf("pull: want the image ID on stdout: %s", res)
		}
		digests := other.must(t, "image", "inspect", "--format", "{{.RepoDigests}}", ref).Out()
		if !strings.Contains(digests, digest) {
			t.Errorf("RepoDigests %s do not name the pushed digest %s", digests, digest)
		}

		// By digest, quietly, into a third store.
		third := m.isolated(t)
		byDigest := strings.TrimSuffix(ref, ":v1") + "@" + digest
		res = third.mustReg(t, reg, append(append([]string{"pull", "-q"}, third.regArgs(reg)...), byDigest)...)
		wantOut(t, res, srcID)
		if strings.Contains(res.Stderr, "Copying") {
			t.Errorf("pull -q printed progress: %s", res)
		}
		if got := third.imageID(t, byDigest); got != srcID {
			t.Errorf("image pulled by digest has ID %s, want %s", got, srcID)
		}
		// A second tag, compressed with zstd, then every tag at once.
		m.pushFixture(t, reg, strings.TrimSuffix(ref, ":v1")+":v2", "--compression-format", "zstd")
		fourth := m.isolated(t)
		fourth.mustReg(t, reg, append(append([]string{"pull", "-q", "--all-tags"}, fourth.regArgs(reg)...), strings.TrimSuffix(ref, ":v1"))...)
		for _, tag := range []string{":v1", ":v2"} {
			if got := fourth.imageID(t, strings.TrimSuffix(ref, ":v1")+tag); got != srcID {
				t.Errorf("pull --all-tags: %s has ID %s, want %s", tag, got, srcID)
			}
		}
		res = third.runReg(t, reg, runOpts{}, append(append([]string{"pull"}, third.regArgs(reg)...), strings.TrimSuffix(ref, ":v1")+":nosuchtag")...)
		wantCode(t, res, 125)
		wantStderr(t, res, "manifest unknown")
	})
}

func TestRegistryTLS(t *testing.T) {
	reg := startRegistry(t, regTLS)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "latest")
		// Without the CA the certificate is refused.
		res := m.run(t, "push", image, ref)
		wantCode(t, res, 125)
		wantStderr(t, res, "certificate")
		m.pushFixture(t, reg, ref)
		other := m.isolated(t)
		other.must(t, "pull", "-q", "--cert-dir", reg.CertDir, ref)
		if got, want := other.imageID(t, ref), m.imageID(t, image); got != want {
			t.Errorf("pulled ID %s, want %s", got, want)
		}
		// --tls-verify=false skips the check.
		third := m.isolated(t)
		third.must(t, "pull", "-q", "--tls-verify=false", ref)
	})
}

func TestRegistryAuth(t *testing.T) {
	reg := startRegistry(t, regAuth)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "latest")
		authfile := filepath.Join(m.tempDir(t), "auth.json")
		ca := []string{"--cert-dir", reg.CertDir}

		res := m.run(t, append(append([]string{"push", "--authfile", authfile}, ca...), image, ref)...)
		wantErr(t, res, 125, "authentication required")

		res = m.run(t, append(append([]string{"login", "--authfile", authfile, "-u", regUser, "-p", "wrong"}, ca...), reg.Host)...)
		if res.Code == 0 {
			t.Errorf("login with a wrong password succeeded: %s", res)
		}
		res = m.runWith(t, runOpts{stdin: strings.NewReader(regPassword + "\n")},
			append(append([]string{"login", "--authfile", authfile, "-u", regUser, "--password-stdin"}, ca...), reg.Host)...)
		if res.Code != 0 {
			t.Fatalf("login failed: %s", res)
		}
		wantStderrOrOut(t, res, "Login Succeeded")
		wantOut(t, m.must(t, "login", "--authfile", authfile, "--get-login", reg.Host), regUser)

		m.must(t, append(append([]string{"push", "-q", "--authfile", authfile}, ca...), image, ref)...)
		other := m.isolated(t)
		other.must(t, append(append([]string{"pull", "-q", "--authfile", authfile}, ca...), ref)...)

		m.must(t, "logout", "--authfile", authfile, reg.Host)
		res = m.run(t, "login", "--authfile", authfile, "--get-login", reg.Host)
		if res.Code == 0 {
			t.Errorf("--get-login after logout succeeded: %s", res)
		}
		third := m.isolated(t)
		res = third.run(t, append(append([]string{"pull", "-q", "--authfile", authfile}, ca...), ref)...)
		wantErr(t, res, 125, "authentication required")
		// --creds needs no login.
		third.must(t, append(append([]string{"pull", "-q", "--creds", regUser + ":" + regPassword}, ca...), ref)...)

		// Without --authfile: the default auth file (root:
		// /run/containers/0/auth.json; rootless without XDG_RUNTIME_DIR:
		// ~/.config/containers/auth.json, in the suite's HOME). A remote
		// mode's service would share root's default file with its local
		// twin and race its logout, so there the service's environment
		// names a file of its own (REGISTRY_AUTH_FILE), which login, push
		// and logout through the service must all use.
		d := m
		if m.Remote {
			d = m.isolatedEnv(t, "REGISTRY_AUTH_FILE="+filepath.Join(m.tempDir(t), "auth.json"))
		}
		d.must(t, append(append([]string{"login", "-u", regUser, "-p", regPassword}, ca...), reg.Host)...)
		wantOut(t, d.must(t, "login", "--get-login", reg.Host), regUser)
		d.must(t, append(append([]string{"push", "-q"}, ca...), image, ref)...)
		d.must(t, "logout", reg.Host)
		res = d.run(t, append(append([]string{"push", "-q"}, ca...), image, ref)...)
		wantErr(t, res, 125, "authentication required")
	})
}

// wantStderrOrOut checks text printed on either stream.
func wantStderrOrOut(t testing.TB, res Result, text string) {
	t.Helper()
	if !strings.Contains(res.Stdout+res.Stderr, text) {
		t.Errorf("want output containing %q, got: %s", text, res)
	}
}

func TestRegistryConcurrentPull(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "latest")
		m.pushFixture(t, reg, ref)
		other := m.isolated(t)
		var wg sync.WaitGroup
		results := make([]Result, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = other.runReg(t, reg, runOpts{}, append(append([]string{"pull", "-q"}, other.regArgs(reg)...), ref)...)
			}()
		}
		wg.Wait()
		for _, res := range results {
			if res.Code != 0 {
				t.Errorf("concurrent pull failed: %s", res)
			}
		}
		if results[0].Out() != results[1].Out() {
			t.Errorf("concurrent pulls stored different images: %q vs %q", results[0].Out(), results[1].Out())
		}
		res := other.must(t, "images", "-q", "--no-trunc", "--filter", "reference="+ref)
		if n := len(res.Lines()); n != 1 {
			t.Errorf("want one image for %s after two pulls, got %d: %s", ref, n, res)
		}
	})
}

// TestRunPullPolicy checks that run pulls a missing image and that the
// missing and never policies never contact a registry for a local image.
// The pull of run has no registry flags, so the HTTP registry is declared
// insecure through registries.conf: given to the calls, and in a remote
// mode to the service of a store of its own, which does the pull.
func TestRunPullPolicy(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		s := m.isolated(t)
		// A name on a registry that does not exist: only a lookup can work.
		dead := "127.0.0.1:1/skiff/deadreg:latest"
		s.must(t, "tag", image, dead)
		wantOut(t, s.must(t, "run", "--rm", dead, "echo", "local"), "local")
		wantOut(t, s.must(t, "run", "--rm", "--pull", "never", dead, "echo", "never"), "never")
		res := s.run(t, "run", "--rm", "--pull", "always", dead, "echo", "always")
		wantCode(t, res, 125)
		res = s.run(t, "run", "--rm", "--pull", "never", "localhost/nosuch:latest", "true")
		wantErr(t, res, 125, "image not known")

		ref := regRef(t, reg, m, "latest")
		digest := m.pushFixture(t, reg, ref)
		other := m.isolatedEnv(t, "CONTAINERS_REGISTRIES_CONF="+reg.RegistriesConf)
		res = other.must(t, "run", "--rm", ref, "echo", "pulled")
		wantOut(t, res, "pulled")
		if got, want := other.imageID(t, ref), m.imageID(t, image); got != want {
			t.Errorf("run pulled ID %s, want %s", got, want)
		}
		if digests := other.must(t, "image", "inspect", "--format", "{{.RepoDigests}}", ref).Out(); !strings.Contains(digests, digest) {
			t.Errorf("run pulled RepoDigests %s, want the pushed digest %s", digests, digest)
		}
		// A tag the registry lacks is a registry error, not a local one.
		res = other.run(t, "run", "--rm", strings.TrimSuffix(ref, ":latest")+":nosuchtag", "true")
		wantCode(t, res, 125)
		wantStderr(t, res, "manifest unknown")
	})
}

// TestPullKilled kills a pull (the CLI, with its process group) while it
// copies a large layer: no half image may be listed, and a retry succeeds.
func TestPullKilled(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		src := m.isolated(t)
		name := cname(t)
		src.must(t, "run", "--name", name, image, "dd", "if=/dev/urandom", "of=/big", "bs=1M", "count=32")
		big := "localhost/big:1"
		src.must(t, "commit", "-q", name, big)
		ref := regRef(t, reg, m, "big")
		src.mustReg(t, reg, append(append([]string{"push", "-q"}, src.regArgs(reg)...), big, ref)...)
		bigID := src.imageID(t, big)

		dst := m.isolated(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c := dst.cmd(ctx, append(append([]string{"pull"}, dst.regArgs(reg)...), ref)...)
		c.Env = append(c.Env, "CONTAINERS_REGISTRIES_CONF="+reg.RegistriesConf)
		stderr, err := c.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		seen := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Copying blob") {
				seen = true
				break
			}
		}
		_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		go io.Copy(io.Discard, stderr)
		_ = c.Wait()
		if !seen {
			t.Logf("the pull ended before it copied a blob; the kill came late")
		}
		res := dst.must(t, "images", "-a", "-q", "--no-trunc")
		if strings.Contains(res.Stdout, bigID) {
			// Only a complete image may be listed: then it must work.
			dst.must(t, "run", "--rm", bigID, "test", "-s", "/big")
		}
		res = dst.mustReg(t, reg, append(append([]string{"pull", "-q"}, dst.regArgs(reg)...), ref)...)
		wantOut(t, res, bigID)
		dst.must(t, "run", "--rm", ref, "test", "-s", "/big")
	})
}
