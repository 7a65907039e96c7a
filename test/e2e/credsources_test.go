package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Credential sources a Docker or Podman user already has, which skiff
// inherits from containers/image: Docker's config.json (in $HOME/.docker
// or $DOCKER_CONFIG) and the credential helpers it names. Every case gives
// the engine's client a HOME of its own, so the real ~/.docker and
// ~/.config/containers are never read or written.

// basePATH is the PATH every call gets (see Mode.env).
const basePATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// clientEnv is a fresh store of m whose CLI calls also get env. In a remote
// mode the service was started before env was added, so only the client
// sees it: what works then proves the client's own configuration was used.
func (m *Mode) clientEnv(t testing.TB, env ...string) *Mode {
	t.Helper()
	n := m.isolated(t)
	n.extraEnv = append(n.extraEnv, env...)
	return n
}

// mkdirOwned makes dir (and missing parents below an existing owned
// directory) owned by the mode's user.
func (m *Mode) mkdirOwned(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, m.uid, m.gid); err != nil {
		t.Fatal(err)
	}
}

// dockerAuths is a Docker config.json holding user:pass for host.
func dockerAuths(host, user, pass string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	return fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, host, enc)
}

// writeDockerConfig writes dir/config.json, owned by the mode's user and
// private to it, as docker login leaves it.
func (m *Mode) writeDockerConfig(t testing.TB, dir, body string) {
	t.Helper()
	m.mkdirOwned(t, dir)
	p := filepath.Join(dir, "config.json")
	m.writeFile(t, p, body)
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDockerConfigCreds(t *testing.T) {
	reg := startRegistry(t, regAuth)
	forModes(t, func(t *testing.T, m *Mode) {
		ca := []string{"--cert-dir", reg.CertDir}
		ref := regRef(t, reg, m, "latest")
		pushArgs := append(append([]string{"push", "-q"}, ca...), image, ref)
		pullArgs := append(append([]string{"pull", "-q"}, ca...), ref)

		// A HOME with nothing in it: no auth.json, no Docker config.
		home := m.newHome(t)
		s := m.clientEnv(t, "HOME="+home)
		srcID := s.imageID(t, image)
		wantErr(t, s.run(t, pushArgs...), 125, "authentication required")
		wantErr(t, s.run(t, pullArgs...), 125, "authentication required")

		// docker login's file, $HOME/.docker/config.json.
		m.writeDockerConfig(t, filepath.Join(home, ".docker"), dockerAuths(reg.Host, regUser, regPassword))
		s.must(t, pushArgs...)
		other := m.clientEnv(t, "HOME="+home)
		wantOut(t, other.must(t, pullArgs...), srcID)
		if got := other.imageID(t, ref); got != srcID {
			t.Errorf("pulled ID %s, pushed %s", got, srcID)
		}

		t.Run("DOCKER_CONFIG", func(t *testing.T) {
			// $DOCKER_CONFIG replaces ~/.docker, as for the docker CLI.
			dir := m.tempDir(t)
			m.writeDockerConfig(t, dir, dockerAuths(reg.Host, regUser, regPassword))
			s := m.clientEnv(t, "HOME="+m.newHome(t), "DOCKER_CONFIG="+dir)
			wantOut(t, s.must(t, pullArgs...), srcID)
		})
		t.Run("beside-auth-json", func(t *testing.T) {
			// An auth.json of skiff/Podman's own holding another registry's
			// credentials does not hide Docker's file: containers/image
			// searches auth.json, then ~/.docker/config.json.
			home := m.newHome(t)
			m.mkdirOwned(t, filepath.Join(home, ".config"))
			m.mkdirOwned(t, filepath.Join(home, ".config", "containers"))
			own := filepath.Join(home, ".config", "containers", "auth.json")
			m.writeFile(t, own, dockerAuths("registry.invalid:5000", "someone", "else"))
			m.writeDockerConfig(t, filepath.Join(home, ".docker"), dockerAuths(reg.Host, regUser, regPassword))
			s := m.clientEnv(t, "HOME="+home)
			wantOut(t, s.must(t, pullArgs...), srcID)
		})
		t.Run("wrong-password", func(t *testing.T) {
			home := m.newHome(t)
			m.writeDockerConfig(t, filepath.Join(home, ".docker"), dockerAuths(reg.Host, regUser, "not-the-password"))
			s := m.clientEnv(t, "HOME="+home)
			wantErr(t, s.run(t, pullArgs...), 125, "authentication required")
		})
	})
}

// credHelperScript is docker-credential-skifftest: a real credential helper
// speaking the docker-credential-helpers protocol, keeping one credential
// in creds.json beside itself and logging every request to calls.log.
const credHelperScript = `#!/bin/sh
dir=$(dirname "$0")
case "$1" in
get)
	server=$(cat)
	echo "get $server" >>"$dir/calls.log"
	if [ -f "$dir/creds.json" ]; then
		cat "$dir/creds.json"
	else
		echo "credentials not found in native keychain"
		exit 1
	fi
	;;
store)
	cat >"$dir/creds.json"
	echo "store" >>"$dir/calls.log"
	;;
erase)
	server=$(cat)
	echo "erase $server" >>"$dir/calls.log"
	rm -f "$dir/creds.json"
	;;
*)
	echo "unsupported action $1" >&2
	exit 1
	;;
esac
`

// credHelper is one installed docker-credential-skifftest.
type credHelper struct {
	dir string // on PATH first; holds the script, creds.json and calls.log
}

// installCredHelper puts the helper in a directory of its own, owned by
// the mode's user (the helper runs as that user and writes there).
func (m *Mode) installCredHelper(t testing.TB) *credHelper {
	t.Helper()
	h := &credHelper{dir: m.tempDir(t)}
	p := filepath.Join(h.dir, "docker-credential-skifftest")
	m.writeFile(t, p, credHelperScript)
	if err := os.Chmod(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return h
}

// setCreds makes the helper answer get with user:secret for server.
func (h *credHelper) setCreds(t testing.TB, m *Mode, server, user, secret string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"ServerURL": server, "Username": user, "Secret": secret})
	m.writeFile(t, filepath.Join(h.dir, "creds.json"), string(b))
}

// calls are the requests the helper got, one per line.
func (h *credHelper) calls(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, "calls.log"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(b)), " ", "_"))
}

// creds is what the helper holds, or nil.
func (h *credHelper) creds(t testing.TB) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, "creds.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]string
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("the helper holds %q: %v", b, err)
	}
	return c
}

// env is what a call needs to find the helper first on its PATH.
func (h *credHelper) env() string { return "PATH=" + h.dir + ":" + basePATH }

func TestCredHelper(t *testing.T) {
	reg := startRegistry(t, regAuth)
	forModes(t, func(t *testing.T, m *Mode) {
		ca := []string{"--cert-dir", reg.CertDir}
		ref := regRef(t, reg, m, "latest")
		m.must(t, append(append([]string{"push", "-q", "--creds", regUser + ":" + regPassword}, ca...), image, ref)...)
		srcID := m.imageID(t, image)
		pullArgs := append(append([]string{"pull", "-q"}, ca...), ref)
		helperConf := fmt.Sprintf(`{"credHelpers": {%q: "skifftest"}}`, reg.Host)

		t.Run("docker-config", func(t *testing.T) {
			h := m.installCredHelper(t)
			h.setCreds(t, m, reg.Host, regUser, regPassword)
			home := m.newHome(t)
			m.writeDockerConfig(t, filepath.Join(home, ".docker"), helperConf)
			s := m.clientEnv(t, "HOME="+home, h.env())
			wantOut(t, s.must(t, pullArgs...), srcID)
			if got := s.imageID(t, ref); got != srcID {
				t.Errorf("pulled ID %s, pushed %s", got, srcID)
			}
			// Asked for this registry's host (no scheme, no path).
			calls := h.calls(t)
			if len(calls) == 0 {
				t.Fatalf("the credential helper was never run")
			}
			for _, c := range calls {
				if c != "get_"+reg.Host {
					t.Errorf("helper calls %q: want only get %s", calls, reg.Host)
					break
				}
			}
		})
		t.Run("wrong-credentials", func(t *testing.T) {
			h := m.installCredHelper(t)
			h.setCreds(t, m, reg.Host, regUser, "not-the-password")
			home := m.newHome(t)
			m.writeDockerConfig(t, filepath.Join(home, ".docker"), helperConf)
			s := m.clientEnv(t, "HOME="+home, h.env())
			wantErr(t, s.run(t, pullArgs...), 125, "authentication required")
			if len(h.calls(t)) == 0 {
				t.Errorf("the credential helper was never run")
			}
		})
		t.Run("login-stores-through-helper", func(t *testing.T) {
			// credHelpers in the auth file login writes: login hands the
			// credentials to the helper (store), pull reads them back (get),
			// logout erases them; the file itself never holds a secret.
			h := m.installCredHelper(t)
			authfile := filepath.Join(m.tempDir(t), "auth.json")
			m.writeFile(t, authfile, helperConf)
			s := m.clientEnv(t, "HOME="+m.newHome(t), h.env())
			res := s.must(t, append(append([]string{"login", "--authfile", authfile, "-u", regUser, "-p", regPassword}, ca...), reg.Host)...)
			wantStderrOrOut(t, res, "Login Succeeded")
			c := h.creds(t)
			if c["ServerURL"] != reg.Host || c["Username"] != regUser || c["Secret"] != regPassword {
				t.Errorf("login stored %v through the helper, want %s / %s", c, reg.Host, regUser)
			}
			if b, _ := os.ReadFile(authfile); strings.Contains(string(b), `"auths"`) && strings.Contains(string(b), reg.Host+`": {`) {
				t.Errorf("login also wrote the credentials into %s: %s", authfile, b)
			}
			wantOut(t, s.must(t, "login", "--authfile", authfile, "--get-login", reg.Host), regUser)
			wantOut(t, s.must(t, append(append([]string{"pull", "-q", "--authfile", authfile}, ca...), ref)...), srcID)
			s.must(t, "logout", "--authfile", authfile, reg.Host)
			if c := h.creds(t); c != nil {
				t.Errorf("logout left %v in the helper", c)
			}
			want := []string{"store", "get_" + reg.Host, "erase_" + reg.Host}
			calls := strings.Join(h.calls(t), " ")
			for _, w := range want {
				if !strings.Contains(calls, w) {
					t.Errorf("helper calls %q: want %s among them", calls, w)
				}
			}
			other := m.clientEnv(t, "HOME="+m.newHome(t), h.env())
			res = other.run(t, append(append([]string{"pull", "-q", "--authfile", authfile}, ca...), ref)...)
			wantErr(t, res, 125, "authentication required")
		})
	})
}
