package e2e

import (
	"testing"
)

// TestPullProgressOnTTY: on a terminal, a local pull draws containers/image's
// per-layer bars, which end as "Copying blob <12 hex> done" or, for a layer
// already in the store, "… skipped: already exists". Through a service the
// progress is rendered where the copy runs, which has no terminal, so the
// client gets the plain lines, with skipped layers said as such too.
func TestPullProgressOnTTY(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	forModes(t, func(t *testing.T, m *Mode) {
		ref := regRef(t, reg, m, "tty")
		m.pushFixture(t, reg, ref)
		dst := m.isolated(t)
		dst.must(t, "rmi", image)

		copied, skipped := `Copying blob [0-9a-f]{12}[^\n]* done`, `Copying blob [0-9a-f]{12}[^\n]* skipped: already exists`
		if m.Remote {
			copied, skipped = `Copying blob sha256:[0-9a-f]{64}\r?\n`, `Copying blob sha256:[0-9a-f]{64} skipped: already exists`
		}
		for _, want := range []string{copied, skipped} {
			p := dst.startPTY(t, 24, 120, "pull", "--tls-verify=false", ref)
			p.expect(want)
			if code := p.wait(); code != 0 {
				t.Fatalf("pull on a terminal exited %d", code)
			}
		}
	})
}
