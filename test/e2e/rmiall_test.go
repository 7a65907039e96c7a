package e2e

import (
	"strings"
	"testing"
)

// TestRmiAll: `rmi -a` refuses while a container uses an image, naming it;
// `rmi -af` removes every image and the containers that use them.
func TestRmiAll(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		name := cname(t)
		m.must(t, "tag", image, "localhost/"+name+":extra")
		m.must(t, "create", "--name", name, image, "true")
		wantErr(t, m.run(t, "rmi", "-a"), 125, "in use by container "+name)
		wantErr(t, m.run(t, "rmi"), 125, "requires at least 1 image")
		m.must(t, "rmi", "-a", "-f")
		if out := strings.TrimSpace(m.must(t, "images", "-q").Stdout); out != "" {
			t.Errorf("images after rmi -af: %q", out)
		}
		if out := strings.TrimSpace(m.must(t, "ps", "-aq").Stdout); out != "" {
			t.Errorf("containers after rmi -af: %q", out)
		}
	})
}
