package e2e

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSigProxy sends SIGINT to an attached, TTY-less `run`: the signal
// reaches the container's process (Docker's --sig-proxy), locally and
// through the service, and the container's exit code comes back.
func TestSigProxy(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var out bytes.Buffer
		c := m.cmd(ctx, "run", "--rm", "--name", name, image, "sh", "-c",
			`trap "echo got-int; exit 5" INT; echo ready; sleep 1000 & wait`)
		c.Stdout, c.Stderr = &out, &out
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		eventually(t, func() (bool, string) {
			return strings.Contains(out.String(), "ready"), out.String()
		})
		if err := c.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		err := c.Wait()
		code := exitCode(c, err)
		if code != 5 || !strings.Contains(out.String(), "got-int") {
			t.Errorf("run after SIGINT: want exit 5 and got-int, got exit %d, output %q", code, out.String())
		}
	})
}
