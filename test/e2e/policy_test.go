package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPolicyAppearsWhileServing: the signature policy is looked up at
// every pull, as containers/image alone does, so a policy.json written
// after a service started (with the built-in default, or the system's, in
// force) is obeyed by its next pull.
func TestPolicyAppearsWhileServing(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "policy")
		m.pushFixture(t, reg, ref)
		home := m.newHome(t)
		userPolicy := filepath.Join(home, ".config", "containers", "policy.json")
		if err := os.Remove(userPolicy); err != nil {
			t.Fatal(err)
		}
		// In a remote mode this starts the service, which opens its
		// store (importing the fixture) before the policy exists.
		s := m.isolatedEnv(t, "HOME="+home, "CONTAINERS_REGISTRIES_CONF="+reg.RegistriesConf)
		m.writeFile(t, userPolicy, `{"default":[{"type":"reject"}]}`)
		res := s.run(t, append(append([]string{"pull", "-q"}, s.regArgs(reg)...), ref)...)
		wantErr(t, res, 125, "Source image rejected")
		wantCode(t, s.run(t, "image", "exists", ref), 1)
	})
}
