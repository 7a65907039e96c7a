package network

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestStopHelper(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(sleep, "600")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill() })
	pidFile := filepath.Join(t.TempDir(), "helper.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o600); err != nil {
		t.Fatal(err)
	}

	// A pid that runs something else is left alone (pids are reused).
	if err := StopHelper(pidFile, "pasta"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("StopHelper killed a process that is not the helper")
	default:
	}

	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := StopHelper(pidFile, "sleep"); err != nil {
		t.Fatal(err)
	}
	<-done
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Errorf("pid file left: %v", err)
	}
	// Nothing to stop is fine.
	if err := StopHelper(pidFile, "sleep"); err != nil {
		t.Errorf("missing pid file: %v", err)
	}
}

func TestCheckAndAssignPorts(t *testing.T) {
	ports, err := AssignPorts([]types.PortMapping{{HostIP: "127.0.0.1", ContainerPort: 80, Protocol: "tcp", Range: 1}, {HostPort: 1, ContainerPort: 81, Protocol: "tcp"}})
	if err != nil {
		t.Fatal(err)
	}
	if ports[0].HostPort == 0 || ports[1].HostPort != 1 {
		t.Fatalf("assigned %+v", ports)
	}
	if err := CheckPorts(ports[:1], false); err != nil {
		t.Fatalf("a free port: %v", err)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(ports[0].HostPort))))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = CheckPorts(ports[:1], false)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:"+strconv.Itoa(int(ports[0].HostPort))+"/tcp: address already in use") ||
		errdefs.ClassOf(err) != errdefs.ClassConflict {
		t.Errorf("a taken port: %v", err)
	}
	if data, _ := os.ReadFile(unprivilegedPortStart); strings.TrimSpace(string(data)) <= "1" {
		return // the host lets anyone bind port 1
	}
	err = CheckPorts([]types.PortMapping{{HostIP: "127.0.0.1", HostPort: 1, ContainerPort: 80, Protocol: "tcp"}}, true)
	if err == nil || !strings.Contains(err.Error(), "sysctl -w net.ipv4.ip_unprivileged_port_start=1") {
		t.Errorf("a privileged port rootless: %v", err)
	}
}
