package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// regConf writes a registries.conf for this case and returns a fresh store
// whose calls (and, in a remote mode, whose service) read it through
// CONTAINERS_REGISTRIES_CONF.
//
// The system drop-ins in /etc/containers/registries.conf.d are still merged,
// as for Podman; Debian's shortnames.conf aliases "busybox" to docker.io, so
// the short names here are ones no drop-in claims.
func (m *Mode) regConf(t *testing.T, body string) *Mode {
	t.Helper()
	path := filepath.Join(m.tempDir(t), "registries.conf")
	m.writeFile(t, path, body)
	return m.isolatedEnv(t, "CONTAINERS_REGISTRIES_CONF="+path)
}

// insecureRegs declares plain-HTTP registries insecure.
func insecureRegs(hosts ...string) string {
	var b strings.Builder
	for _, h := range hosts {
		fmt.Fprintf(&b, "[[registry]]\nlocation = %q\ninsecure = true\n\n", h)
	}
	return b.String()
}

// TestRegConfig checks that a Podman user's registries.conf and policy.json
// are honoured: search registries, aliases, short-name modes, blocked
// registries, mirrors and a rejecting policy.
func TestRegConfig(t *testing.T) {
	regA := startRegistry(t, regHTTP)
	regB := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		short := m.Name + "-box" // a short name only regA holds
		path := "x/" + m.Name + "/busybox"
		m.pushFixture(t, regA, regA.Host+"/"+short+":latest")
		m.pushFixture(t, regA, regA.Host+"/"+path+":latest")
		m.pushFixture(t, regB, regB.Host+"/"+path+":latest")
		want := m.imageID(t, image)
		dead := fmt.Sprintf("127.0.0.1:%d", freePort(t)) // nothing listens there

		t.Run("search-registry", func(t *testing.T) {
			s := m.regConf(t, fmt.Sprintf("unqualified-search-registries = [%q]\nshort-name-mode = \"enforcing\"\n\n", regA.Host)+
				insecureRegs(regA.Host))
			wantOut(t, s.must(t, "pull", "-q", short), want)
			if got := s.imageID(t, regA.Host+"/"+short+":latest"); got != want {
				t.Errorf("short name stored as ID %s, want %s", got, want)
			}
		})
		t.Run("search-order", func(t *testing.T) {
			// Permissive: without a TTY every search registry is tried in
			// order; regB lacks the name, regA has it.
			s := m.regConf(t, fmt.Sprintf("unqualified-search-registries = [%q, %q]\nshort-name-mode = \"permissive\"\n\n", regB.Host, regA.Host)+
				insecureRegs(regA.Host, regB.Host))
			wantOut(t, s.must(t, "pull", "-q", short), want)
			if got := s.imageID(t, regA.Host+"/"+short+":latest"); got != want {
				t.Errorf("short name stored as ID %s, want %s", got, want)
			}
		})
		t.Run("ambiguous-enforcing", func(t *testing.T) {
			s := m.regConf(t, fmt.Sprintf("unqualified-search-registries = [%q, %q]\nshort-name-mode = \"enforcing\"\n\n", regA.Host, regB.Host)+
				insecureRegs(regA.Host, regB.Host))
			res := s.run(t, "pull", "-q", short)
			wantErr(t, res, 125, "short-name resolution enforced but cannot prompt without a TTY")
			wantErr(t, res, 125, regA.Host+"/"+short+", "+regB.Host+"/"+short)
			if strings.Contains(s.must(t, "images", "--format", "{{.Repository}}").Stdout, short) {
				t.Errorf("an ambiguous short name was pulled anyway")
			}
		})
		t.Run("alias", func(t *testing.T) {
			// The alias wins over the search registry, which is unreachable.
			s := m.regConf(t, fmt.Sprintf("unqualified-search-registries = [%q]\nshort-name-mode = \"enforcing\"\n\n[aliases]\n\"myalias\" = %q\n\n", dead, regA.Host+"/"+path)+
				insecureRegs(regA.Host))
			wantOut(t, s.must(t, "pull", "-q", "myalias"), want)
			if got := s.imageID(t, regA.Host+"/"+path+":latest"); got != want {
				t.Errorf("alias stored as ID %s, want %s", got, want)
			}
		})
		t.Run("blocked", func(t *testing.T) {
			s := m.regConf(t, fmt.Sprintf("[[registry]]\nlocation = %q\ninsecure = true\nblocked = true\n", regA.Host))
			res := s.run(t, "pull", "-q", regA.Host+"/"+path)
			wantErr(t, res, 125, "registry "+regA.Host+" is blocked")
			wantCode(t, s.run(t, "image", "exists", regA.Host+"/"+path), 1)
		})
		t.Run("mirror", func(t *testing.T) {
			s := m.regConf(t, fmt.Sprintf("[[registry]]\nlocation = %q\ninsecure = true\n\n[[registry.mirror]]\nlocation = %q\ninsecure = true\n", dead, regB.Host))
			ref := dead + "/" + path + ":latest"
			wantOut(t, s.must(t, "pull", "-q", ref), want)
			// Stored under the name asked for, as Podman does.
			if got := s.imageID(t, ref); got != want {
				t.Errorf("mirrored pull stored ID %s, want %s", got, want)
			}
		})
		t.Run("signature-policy", func(t *testing.T) {
			s := m.regConf(t, insecureRegs(regA.Host))
			dir := s.tempDir(t)
			reject, accept := filepath.Join(dir, "reject.json"), filepath.Join(dir, "accept.json")
			s.writeFile(t, reject, `{"default": [{"type": "reject"}]}`)
			s.writeFile(t, accept, `{"default": [{"type": "insecureAcceptAnything"}]}`)
			ref := regA.Host + "/" + path + ":latest"
			if m.Remote {
				// The service's own policy.json applies; a client may not pick one.
				res := s.run(t, "pull", "-q", "--signature-policy", reject, ref)
				wantErr(t, res, 125, "--signature-policy is not supported with a remote service")
				return
			}
			res := s.run(t, "pull", "-q", "--signature-policy", reject, ref)
			wantErr(t, res, 125, "rejected by policy")
			wantCode(t, s.run(t, "image", "exists", ref), 1)
			wantOut(t, s.must(t, "pull", "-q", "--signature-policy", accept, ref), want)
		})
	})
}
