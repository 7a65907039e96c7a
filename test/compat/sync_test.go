package compat

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hangTimeout bounds every wait of the suite. It only catches a hang: the
// machine is loaded, so no case decides by the clock whether something
// happened in time. Where an order matters a container process blocks on
// a gate only the test opens (gateWait, openGate), or the case looks at
// what the process itself recorded (count).
const hangTimeout = time.Minute

// gatePath is the FIFO of gate name inside a container.
func gatePath(name string) string { return "/tmp/skiff-gate-" + name }

// gateWait is shell for a container process: it blocks until the test
// opens gate name. Whichever side comes first makes the FIFO; opening it
// blocks until the other side has it open too.
func gateWait(name string) string {
	return fmt.Sprintf(`{ [ -p %[1]s ] || mkfifo %[1]s 2>/dev/null; read -r _gate < %[1]s; }`, gatePath(name))
}

// openGate releases the process of container blocked in gateWait(name).
// The writer runs detached (docker exec -d): a released process that is
// the container's init may exit at once, and the kernel then kills the
// writer too, so its exit status says nothing; what the test waits for
// next does.
func (md *mode) openGate(t testing.TB, container, name string) {
	t.Helper()
	md.must(t, "exec", "-d", container, "sh", "-c",
		fmt.Sprintf(`[ -p %[1]s ] || mkfifo %[1]s 2>/dev/null; echo open > %[1]s`, gatePath(name)))
}

// countFile is where counter records its count inside the container.
const countFile = "/tmp/skiff-count"

// counter prints an incrementing number every 0.2 seconds and records it
// in countFile: the file, written by the process itself, shows whether it
// runs; its output may still drain after the process was frozen.
const counter = `i=0; while :; do i=$((i+1)); echo $i; echo $i > ` + countFile + `; sleep 0.2; done`

// count reads the number container's process last recorded, through /proc
// (a paused container cannot be exec'd into; the suite runs as root).
func (md *mode) count(t testing.TB, container string) string {
	t.Helper()
	pid, err := strconv.Atoi(md.must(t, "inspect", "--format", "{{.State.Pid}}", container).out())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/root" + countFile)
	if err != nil {
		t.Fatalf("reading the counter of %s: %v", container, err)
	}
	return strings.TrimSpace(string(b))
}
