package systemd

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNotify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	sock, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	t.Setenv("NOTIFY_SOCKET", path)
	if err := Notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	_ = sock.SetReadDeadline(time.Now().Add(time.Minute))
	n, err := sock.Read(buf)
	if err != nil || string(buf[:n]) != "READY=1" {
		t.Fatalf("got %q %v", buf[:n], err)
	}
	t.Setenv("NOTIFY_SOCKET", "")
	if err := Notify("READY=1"); err != nil {
		t.Errorf("without NOTIFY_SOCKET: %v", err)
	}
}

// TestListeners runs this test binary as a child with a socket on fd 3 and
// LISTEN_FDS set, the way systemd and systemd-socket-activate start it.
func TestListeners(t *testing.T) {
	if os.Getenv("SKIFF_TEST_ACTIVATED_CHILD") == "1" {
		activatedChild()
		return
	}
	path := filepath.Join(t.TempDir(), "act.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	f, err := l.File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// LISTEN_PID must name the child itself: let a shell set it and exec.
	cmd := exec.Command("/bin/sh", "-c", `LISTEN_PID=$$ exec "$0" -test.run '^TestListeners$'`, os.Args[0])
	cmd.Env = append(os.Environ(), "SKIFF_TEST_ACTIVATED_CHILD=1", "LISTEN_FDS=1", "LISTEN_FDNAMES=api")
	cmd.ExtraFiles = []*os.File{f}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(c)
	c.Close()
	report, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, report)
	}
	if string(got) != "hello from the activated child" || !strings.Contains(string(report), "activated=true n=1 env-cleared=true") {
		t.Fatalf("connection got %q; child said %q", got, report)
	}
	// Without LISTEN_FDS there is nothing, and no error.
	if ls, err := Listeners(); err != nil || len(ls) != 0 || Activated() {
		t.Errorf("unactivated: %v %v", ls, err)
	}
}

func activatedChild() {
	activated := Activated()
	ls, err := Listeners()
	cleared := os.Getenv("LISTEN_FDS") == "" && os.Getenv("LISTEN_PID") == ""
	fmt.Printf("activated=%v n=%d env-cleared=%v err=%v\n", activated, len(ls), cleared, err)
	if len(ls) == 1 {
		c, err := ls[0].Accept()
		if err == nil {
			io.WriteString(c, "hello from the activated child")
			c.Close()
		}
	}
	os.Exit(0)
}
