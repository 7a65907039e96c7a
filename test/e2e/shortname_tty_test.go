package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/containers/image/v5/pkg/sysregistriesv2"
	"github.com/containers/image/v5/types"
)

// rootAliasFile is where containers/image records the short-name aliases
// of root's choices (a rootless user's go to ~/.cache/containers).
const rootAliasFile = "/var/cache/containers/short-name-aliases.conf"

// TestShortNamePromptTTY checks the short-name prompt of enforcing mode:
// on a terminal, `pull NAME` with two search registries asks which one
// (containers/image's promptui list), pulls the one chosen with the arrow
// keys, and records the choice as an alias, which a later pull without a
// terminal follows. Both search registries are one registry reached as
// 127.0.0.1:PORT and as localhost:PORT.
func TestShortNamePromptTTY(t *testing.T) {
	reg := startRegistry(t, regHTTP)
	_, port, _ := strings.Cut(reg.Host, ":")
	hostA, hostB := reg.Host, "localhost:"+port
	forModes(t, func(t *testing.T, m *Mode) {
		// Root's aliases live in a file shared with every other run on the
		// machine, so the name is unique to this run (and removed after).
		short := fmt.Sprintf("tty-box-%d-%s", os.Getpid(), m.Name)
		m.pushFixture(t, reg, hostA+"/"+short+":latest")
		conf := filepath.Join(m.tempDir(t), "registries.conf")
		m.writeFile(t, conf, fmt.Sprintf("unqualified-search-registries = [%q, %q]\nshort-name-mode = \"enforcing\"\n\n", hostA, hostB)+
			insecureRegs(hostA, hostB))
		// A HOME of its own: a rootless user's recorded alias goes to
		// $HOME/.cache, which must not be the real one.
		home := m.newHome(t)
		env := []string{"CONTAINERS_REGISTRIES_CONF=" + conf, "HOME=" + home}

		if m.Remote {
			t.Run("service-cannot-prompt", func(t *testing.T) {
				// The resolution happens in the service, which has no
				// terminal, even when the client is on one.
				s := m.isolatedEnv(t, env...)
				p := s.startPTY(t, 24, 100, "pull", short)
				p.expect(`short-name resolution enforced but cannot prompt without a TTY`)
				p.expect(regexp.QuoteMeta(hostA + "/" + short + ", " + hostB + "/" + short))
				if code := p.wait(); code != 125 {
					t.Errorf("pull of an ambiguous short name through a service: want exit 125, got %d", code)
				}
				wantCode(t, s.run(t, "image", "exists", hostB+"/"+short), 1)
			})
		}
		t.Run("prompt", func(t *testing.T) {
			m.localOnly(t, "the prompt is on the CLI's own terminal; a service has none (see service-cannot-prompt)")
			if !suite.podman && !m.Rootless {
				t.Cleanup(func() { removeRootAlias(t, short) })
			}
			s := m.isolatedEnv(t, env...)
			want := m.imageID(t, image) // pushed from the mode's own store
			p := s.startPTY(t, 24, 100, "pull", short)
			p.expect(`Please select an image`)
			// Both candidates listed, in registries.conf's order.
			p.expect(regexp.QuoteMeta(hostA+"/"+short+":latest") + `(?s:.*)` + regexp.QuoteMeta(hostB+"/"+short+":latest"))
			p.sendKeys("\x1b[B") // down arrow
			// The list is redrawn with the cursor on the second line.
			p.expect(`▸\S*\s*(\x1b\[[0-9;]*m)*` + regexp.QuoteMeta(hostB+"/"+short+":latest"))
			p.sendKeys("\r")
			p.expect(`✔\S*\s*(\x1b\[[0-9;]*m)*` + regexp.QuoteMeta(hostB+"/"+short+":latest"))
			p.expect(`Trying to pull ` + regexp.QuoteMeta(hostB+"/"+short+":latest"))
			p.expect(`\n` + regexp.QuoteMeta(want) + `\r\n`)
			if code := p.wait(); code != 0 {
				t.Fatalf("pull after choosing %s: want exit 0, got %d", hostB, code)
			}
			if got := s.imageID(t, hostB+"/"+short+":latest"); got != want {
				t.Errorf("chosen image %s has ID %s, want %s", hostB+"/"+short, got, want)
			}
			wantCode(t, s.run(t, "image", "exists", hostA+"/"+short), 1)

			// The choice is recorded as an alias, as Podman does...
			aliases := rootAliasFile
			if m.Rootless {
				aliases = filepath.Join(home, ".cache", "containers", "short-name-aliases.conf")
			}
			b, err := os.ReadFile(aliases)
			if err != nil {
				t.Fatalf("no short-name alias recorded: %v", err)
			}
			// TOML, the key bare or quoted: tty-box-… = "localhost:PORT/tty-box-…"
			if !regexp.MustCompile(`(?m)^\s*"?` + regexp.QuoteMeta(short) + `"?\s*=\s*` + regexp.QuoteMeta(fmt.Sprintf("%q", hostB+"/"+short)) + `\s*$`).Match(b) {
				t.Errorf("%s does not alias %s to %s:\n%s", aliases, short, hostB+"/"+short, b)
			}
			// ...and followed by the next pull, which has no terminal to ask on.
			again := m.isolatedEnv(t, env...)
			again.must(t, "pull", "-q", short)
			if got := again.imageID(t, hostB+"/"+short+":latest"); got != want {
				t.Errorf("pull following the alias stored ID %s, want %s", got, want)
			}
		})
	})
}

// removeRootAlias removes the alias a root case recorded in the machine's
// file, under containers/image's own lock.
func removeRootAlias(t *testing.T, short string) {
	sys := &types.SystemContext{UserShortNameAliasConfPath: rootAliasFile}
	if err := sysregistriesv2.RemoveShortNameAlias(sys, short); err != nil && !strings.Contains(err.Error(), "not exist") {
		t.Logf("removing the alias %s from %s: %v", short, rootAliasFile, err)
	}
}
