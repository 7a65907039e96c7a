package e2e

import (
	"testing"
	"time"
)

// The commands typed below split their output words with "" (echo a""b), so
// the terminal's echo of the typed line never matches the expected output.

func TestRunInteractiveTTY(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		p := m.startPTY(t, 30, 100, "run", "-it", "--rm", image, "sh")
		p.waitPrompt()
		p.send("stty size\r")
		p.expect(`\r\n30 100\r\n`)
		p.waitPrompt()

		// A resize reaches the container's terminal (asynchronously: retry).
		if err := setSize(p.master, 40, 120); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(defaultTimeout)
		for {
			p.send("stty size\r")
			got := p.expect(`\r\n\d+ \d+\r\n`)
			p.waitPrompt()
			if got == "\r\n40 120\r\n" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after resizing to 40x120, stty size still says %q", got)
			}
			time.Sleep(200 * time.Millisecond)
		}

		// Ctrl-C interrupts the foreground process, not the session. The
		// process announces itself once it runs as the foreground job, so
		// the Ctrl-C cannot reach the shell before it.
		p.send("sh -c 'echo sl\"\"eeping; exec sleep 100'\r")
		p.expect(`\r\nsleeping\r\n`)
		p.send("\x03")
		p.send("echo after\"\"-int\r")
		p.expect(`\r\nafter-int\r\n`)
		if !p.running() {
			t.Fatal("Ctrl-C ended the session")
		}

		p.send("exit 7\r")
		if code := p.wait(); code != 7 {
			t.Errorf("run -it: want exit code 7 from the shell, got %d", code)
		}
	})
}

func TestRunDetachKeys(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		p := m.startPTY(t, 24, 80, "run", "-it", "--name", name, "--detach-keys", "ctrl-a,ctrl-b", image, "sh")
		p.waitPrompt()
		p.send("echo before\"\"-detach\r")
		p.expect(`\r\nbefore-detach\r\n`)
		p.waitPrompt()
		p.sendKeys("\x01", "\x02")
		if code := p.wait(); code != 0 {
			t.Errorf("detaching with the detach keys: want exit 0, got %d", code)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Running}}", name), "true")
	})
}

func TestAttach(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.runDetached(t, name, "-it", image, "sh")
		m.waitRunning(t, name)

		p := m.startPTY(t, 24, 80, "attach", name)
		// Give attach a moment to connect before typing.
		time.Sleep(500 * time.Millisecond)
		p.send("echo x\"\"-attached\r")
		p.expect(`\r\nx-attached\r\n`)
		p.sendKeys("\x10", "\x11") // ctrl-p ctrl-q, the default detach keys
		if code := p.wait(); code != 0 {
			t.Errorf("detaching from attach: want exit 0, got %d", code)
		}
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.Running}}", name), "true")

		// A second attach still works after the first detached.
		p = m.startPTY(t, 24, 80, "attach", name)
		time.Sleep(500 * time.Millisecond)
		p.send("echo again\"\"-attached\r")
		p.expect(`\r\nagain-attached\r\n`)
		p.sendKeys("\x10", "\x11")
		p.wait()
	})
}
