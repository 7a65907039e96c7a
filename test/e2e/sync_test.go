package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Sync points. The machine running the suite is loaded (2 cores, other
// work beside it), so no case may decide by the clock whether the engine
// waited for something. Instead a container process blocks on a gate that
// only the test opens: whatever the engine must do before the process
// goes on is proven done by the order of events, not by how long it took.
// A call that wrongly waits on a closed gate hangs until the harness's
// generous timeout and fails there.

// gatePath is the FIFO of gate name inside a container.
func gatePath(name string) string { return "/tmp/skiff-gate-" + name }

// gateWait is shell for a container process: it blocks until the test
// opens gate name with openGate. Whichever side comes first makes the
// FIFO; opening it blocks until the other side has it open too.
func gateWait(name string) string {
	return fmt.Sprintf(`{ [ -p %[1]s ] || mkfifo %[1]s 2>/dev/null; read -r _gate < %[1]s; }`, gatePath(name))
}

// openGate releases the process of container blocked in gateWait(name).
// The writer runs detached: a released process that is the container's
// init may exit at once, and the kernel then kills the writer too, so its
// exit status says nothing; what the test waits for next does.
func (m *Mode) openGate(t testing.TB, container, name string) {
	t.Helper()
	m.must(t, "exec", "-d", container, "sh", "-c",
		fmt.Sprintf(`[ -p %[1]s ] || mkfifo %[1]s 2>/dev/null; echo open > %[1]s`, gatePath(name)))
}

// countFile is where counterScript records its count inside the container.
const countFile = "/tmp/skiff-count"

// counter prints an incrementing number every 0.2 seconds and records it
// in countFile, and exits 0 on SIGTERM (a shell as PID 1 ignores TERM
// unless it traps it). The file, written by the process itself, shows
// whether the process runs; its output, drained by conmon, may still
// arrive after the process was frozen.
const counter = `trap "exit 0" TERM; i=0; while :; do i=$((i+1)); echo $i; echo $i > ` + countFile + `; sleep 0.2; done`

// count reads the number a counter container's process pid last recorded,
// through /proc (a paused container cannot be exec'd into). The suite
// runs as root on the host, so it can read any mode's container.
func count(t testing.TB, pid int) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/root" + countFile)
	if err != nil {
		t.Fatalf("reading the counter of process %d: %v", pid, err)
	}
	return strings.TrimSpace(string(b))
}

// followLogs runs `logs -f name` and, once its output holds first, calls
// release (which lets the container go on and exit). It returns the whole
// output after logs -f exited 0 on its own.
func (m *Mode) followLogs(t *testing.T, name, first string, release func()) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), defaultTimeout)
	defer cancel()
	c := m.cmd(ctx, "logs", "-f", name)
	var stderr strings.Builder
	c.Stderr = &stderr
	stdout, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	buf := make([]byte, 4096)
	released := false
	for {
		n, rerr := stdout.Read(buf)
		out.Write(buf[:n])
		if !released && strings.Contains(out.String(), first) {
			released = true
			release()
		}
		if rerr != nil {
			break
		}
	}
	err = c.Wait()
	switch code := exitCode(c, err); {
	case ctx.Err() != nil:
		t.Fatalf("logs -f %s did not return within %s: %q; stderr %q", name, defaultTimeout, out.String(), stderr.String())
	case !released:
		t.Fatalf("logs -f %s exited %d before printing %q: %q; stderr %q", name, code, first, out.String(), stderr.String())
	case code != 0:
		t.Fatalf("logs -f %s: exit %d: %q; stderr %q", name, code, out.String(), stderr.String())
	}
	return out.String()
}
