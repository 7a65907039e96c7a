package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/containers/image/v5/signature/sigstore"
)

// keysDir makes a world-readable directory for the public halves of test
// keys (and sigstore private keys, which the engine reads as the mode's
// user).
func keysDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp(suite.work, "keys-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// gpgKey is a throwaway OpenPGP key made with the real gpg, in a keyring
// of its own.
type gpgKey struct {
	home string // GNUPGHOME, root's only
	fpr  string
	pub  string // the exported public key (binary), world-readable
}

// gpg runs gpg in the key's own home without ever prompting.
func (k *gpgKey) gpg(t *testing.T, args ...string) []byte {
	t.Helper()
	return k.gpgIn(t, nil, args...)
}

// gpgIn is gpg with stdin.
func (k *gpgKey) gpgIn(t *testing.T, stdin []byte, args ...string) []byte {
	t.Helper()
	full := append([]string{"--batch", "--homedir", k.home, "--pinentry-mode", "loopback", "--passphrase", ""}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	c := exec.CommandContext(ctx, "gpg", full...)
	c.Stdout, c.Stderr, c.Stdin = &stdout, &stderr, bytes.NewReader(stdin)
	if err := c.Run(); err != nil {
		t.Fatalf("gpg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// newGPGKey makes an RSA signing key (x/crypto/openpgp, which skiff's
// containers_image_openpgp build verifies with, knows no EdDSA).
func newGPGKey(t *testing.T, dir, name string) *gpgKey {
	t.Helper()
	needTool(t, "gpg", "hack/install-deps.sh test (gnupg)")
	k := &gpgKey{home: filepath.Join(dir, name+".gnupg"), pub: filepath.Join(dir, name+".gpg")}
	if err := os.Mkdir(k.home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec.Command("gpgconf", "--homedir", k.home, "--kill", "gpg-agent").Run() })
	k.gpg(t, "--quick-gen-key", "skiff e2e "+name+" <"+name+"@skiff.test>", "rsa2048", "sign", "never")
	for _, line := range strings.Split(string(k.gpg(t, "--with-colons", "--list-secret-keys")), "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && len(f) > 9 {
			k.fpr = f[9]
			break
		}
	}
	if k.fpr == "" {
		t.Fatalf("no fingerprint listed for the new key %s", name)
	}
	if err := os.WriteFile(k.pub, k.gpg(t, "--export", k.fpr), 0o644); err != nil {
		t.Fatal(err)
	}
	return k
}

// sign stores a "simple signing" signature of ref's manifest digest where
// containers/image's lookaside reader looks for it:
// LOOKASIDE/REPO-PATH@sha256=HEX/signature-1, REPO-PATH being the reference
// without its host and tag.
func (k *gpgKey) sign(t *testing.T, lookaside, ref, digest string) {
	t.Helper()
	payload, err := json.Marshal(map[string]any{
		"critical": map[string]any{
			"type":     "atomic container signature",
			"identity": map[string]string{"docker-reference": ref},
			"image":    map[string]string{"docker-manifest-digest": digest},
		},
		"optional": map[string]any{"creator": "skiff e2e", "timestamp": time.Now().Unix()},
	})
	if err != nil {
		t.Fatal(err)
	}
	host, rest, _ := strings.Cut(ref, "/")
	if host == "" || rest == "" {
		t.Fatalf("sign: %q is not HOST/REPO:TAG", ref)
	}
	repo := rest[:strings.LastIndex(rest, ":")]
	dir := filepath.Join(lookaside, repo+"@"+strings.Replace(digest, ":", "=", 1))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The payload goes through stdin: modes sign in parallel.
	k.gpgIn(t, payload, "--yes", "--local-user", k.fpr, "--output", filepath.Join(dir, "signature-1"), "--sign")
	if err := os.Chmod(filepath.Join(dir, "signature-1"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sigstoreKey is a key pair made with containers/image's own generator,
// the private half encrypted with the passphrase in passFile.
type sigstoreKey struct {
	priv, pub, passFile string
}

func newSigstoreKey(t *testing.T, dir, name string) *sigstoreKey {
	t.Helper()
	pass := "pass-" + name
	pair, err := sigstore.GenerateKeyPair([]byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	k := &sigstoreKey{
		priv:     filepath.Join(dir, name+".key"),
		pub:      filepath.Join(dir, name+".pub"),
		passFile: filepath.Join(dir, name+".pass"),
	}
	for path, b := range map[string][]byte{k.priv: pair.PrivateKey, k.pub: pair.PublicKey, k.passFile: []byte(pass + "\n")} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

// trustHome makes a home directory for m's user (newHome) holding
// registriesD as ~/.config/containers/registries.d/skiff-e2e.yaml:
// containers/image reads registries.d there, before
// /etc/containers/registries.d, as for Podman. A remote mode's service also
// takes its policy.json from there (see pullTrusting).
func (m *Mode) trustHome(t *testing.T, registriesD string) string {
	t.Helper()
	home := m.newHome(t)
	m.writeFile(t, filepath.Join(home, ".config", "containers", "registries.d", "skiff-e2e.yaml"), registriesD)
	return home
}

// pullTrusting pulls ref (quietly) under policy. Local modes name the
// policy with --signature-policy; a client of a service may not, so in
// the remote modes it becomes the service user's own policy.json in home
// (the service's HOME), which containers/image reads at every pull.
func (m *Mode) pullTrusting(t *testing.T, home, policy, ref string) Result {
	t.Helper()
	if m.Remote {
		m.writeFile(t, filepath.Join(home, ".config", "containers", "policy.json"), policy)
		return m.run(t, "pull", "-q", ref)
	}
	path := filepath.Join(m.tempDir(t), "policy.json")
	m.writeFile(t, path, policy)
	return m.run(t, "pull", "-q", "--signature-policy", path, ref)
}

// rejectExcept is a policy refusing everything but host, which must meet
// requirement.
func rejectExcept(host, requirement string) string {
	return fmt.Sprintf(`{"default":[{"type":"reject"}],"transports":{"docker":{%q:[%s]}}}`, host, requirement)
}

// TestSignedBy checks policy.json's signedBy (GPGKeys) against "simple
// signing" signatures made with the real gpg in a lookaside directory that
// registries.d names: the signer's key accepts, another key and a missing
// signature are refused.
func TestSignedBy(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	dir := keysDir(t)
	good, other := newGPGKey(t, dir, "good"), newGPGKey(t, dir, "other")
	forModes(t, func(t *testing.T, m *Mode) {
		want := m.imageID(t, image)
		lookaside := m.tempDir(t)
		signed := regRef(t, reg, m, "signed")
		good.sign(t, lookaside, signed, m.pushFixture(t, reg, signed))
		// Another repository: a signature is looked up by repository and
		// digest, and this one's digest is the same.
		unsigned := reg.Host + "/" + cname(t) + "/" + m.Name + "/unsigned:latest"
		m.pushFixture(t, reg, unsigned)

		home := m.trustHome(t, fmt.Sprintf("docker:\n  %s:\n    lookaside: file://%s\n", reg.Host, lookaside))
		s := m.isolatedEnv(t, "HOME="+home, "CONTAINERS_REGISTRIES_CONF="+reg.RegistriesConf)
		signedBy := func(k *gpgKey) string {
			return rejectExcept(reg.Host, fmt.Sprintf(`{"type":"signedBy","keyType":"GPGKeys","keyPath":%q}`, k.pub))
		}
		t.Run("trusted-key", func(t *testing.T) {
			wantOut(t, s.pullTrusting(t, home, signedBy(good), signed), want)
			if got := s.imageID(t, signed); got != want {
				t.Errorf("signed image stored as ID %s, want %s", got, want)
			}
		})
		t.Run("other-key", func(t *testing.T) {
			s.run(t, "rmi", signed)
			res := s.pullTrusting(t, home, signedBy(other), signed)
			wantErr(t, res, 125, "Source image rejected: Key not found for key ID")
			wantCode(t, s.run(t, "image", "exists", signed), 1)
		})
		t.Run("unsigned", func(t *testing.T) {
			res := s.pullTrusting(t, home, signedBy(good), unsigned)
			wantErr(t, res, 125, "Source image rejected: A signature was required, but no signature exists")
			wantCode(t, s.run(t, "image", "exists", unsigned), 1)
		})
	})
}

// TestSigstoreSigning checks push --sign-by-sigstore-private-key (with
// --sign-passphrase-file) writing a sigstore attachment to the registry,
// and policy.json's sigstoreSigned accepting it with the signer's public
// key only. A remote client is refused the key, so the remote modes sign
// with a local call on the service's store and verify through the service.
func TestSigstoreSigning(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	dir := keysDir(t)
	good, other := newSigstoreKey(t, dir, "good"), newSigstoreKey(t, dir, "other")
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "sigstore")
		home := m.trustHome(t, fmt.Sprintf("docker:\n  %s:\n    use-sigstore-attachments: true\n", reg.Host))
		s := m.isolatedEnv(t, "HOME="+home, "CONTAINERS_REGISTRIES_CONF="+reg.RegistriesConf)
		want := s.imageID(t, image)
		res := s.run(t, "push", "--sign-passphrase-file", good.passFile, image, ref)
		wantErr(t, res, 125, "--sign-passphrase-file needs --sign-by-sigstore-private-key")
		digestFile := filepath.Join(s.tempDir(t), "digest")
		push := []string{"push", "-q", "--digestfile", digestFile,
			"--sign-by-sigstore-private-key", good.priv, "--sign-passphrase-file", good.passFile, image, ref}
		if m.Remote {
			res := s.run(t, push...)
			wantErr(t, res, 125, "--sign-by-sigstore-private-key is not supported with a remote service")
			s.mustLocal(t, push...)
		} else {
			t.Run("wrong-passphrase", func(t *testing.T) {
				res := s.run(t, "push", "-q", "--sign-by-sigstore-private-key", good.priv, "--sign-passphrase-file", other.passFile, image, ref)
				wantErr(t, res, 125, "decrypt")
			})
			s.must(t, push...)
		}
		digest, err := os.ReadFile(digestFile)
		if err != nil {
			t.Fatal(err)
		}
		// The signature is a sigstore attachment in the registry itself:
		// an OCI manifest tagged sha256-HEX.sig in the same repository.
		sigTag := strings.Replace(string(digest), ":", "-", 1) + ".sig"
		if tags := reg.tags(t, ref); !slices.Contains(tags, sigTag) {
			t.Errorf("no sigstore attachment %s in the registry; tags: %v", sigTag, tags)
		}
		sigstoreSigned := func(k *sigstoreKey) string {
			return rejectExcept(reg.Host, fmt.Sprintf(`{"type":"sigstoreSigned","keyPath":%q,"signedIdentity":{"type":"matchRepoDigestOrExact"}}`, k.pub))
		}
		t.Run("trusted-key", func(t *testing.T) {
			wantOut(t, s.pullTrusting(t, home, sigstoreSigned(good), ref), want)
		})
		t.Run("other-key", func(t *testing.T) {
			s.run(t, "rmi", ref)
			res := s.pullTrusting(t, home, sigstoreSigned(other), ref)
			wantErr(t, res, 125, "Source image rejected")
			wantErr(t, res, 125, "cryptographic signature verification failed")
			wantCode(t, s.run(t, "image", "exists", ref), 1)
		})
	})
}

// tags lists the tags of ref's repository through the registry's API.
func (r *registry) tags(t *testing.T, ref string) []string {
	t.Helper()
	repo := strings.TrimPrefix(ref, r.Host+"/")
	repo = repo[:strings.LastIndex(repo, ":")]
	resp, err := http.Get("http://" + r.Host + "/v2/" + repo + "/tags/list")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Tags []string `json:"tags"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatalf("listing the tags of %s: %s: %v", repo, resp.Status, err)
	}
	return list.Tags
}

// mustLocal runs a call on m's store directly, without its service (for a
// remote mode, a call its client is refused), and fails the test if it
// fails.
func (m *Mode) mustLocal(t *testing.T, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*defaultTimeout)
	defer cancel()
	c := m.localCmd(ctx, args...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	res := Result{Args: append([]string{filepath.Base(suite.bin)}, args...), Stdout: stdout.String(), Stderr: stderr.String(), Code: exitCode(c, err)}
	t.Logf("%s", res)
	if res.Code != 0 {
		t.Fatalf("command failed: %s", res)
	}
	return res
}
