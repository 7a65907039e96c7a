package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// service is a `skiff system service` that a remote mode's calls go to.
// It runs as the mode's user with the mode's store, exactly as the local
// mode's calls would, so the two modes differ only in the transport.
type service struct {
	cmd    *exec.Cmd
	sock   string
	log    string
	exited chan struct{}
}

// remoteSuffix marks a mode whose calls go through a service.
const remoteSuffix = "-remote"

// startService starts the service for m's store, listening on a socket
// next to the store, and waits until it answers.
func (m *Mode) startService(base string) error {
	sock := filepath.Join(base, "skiff.sock")
	svc, err := m.launchService(base, "unix://"+sock, nil, func() (net.Conn, error) { return net.Dial("unix", sock) })
	if err != nil {
		return err
	}
	svc.sock = sock
	m.svc = svc
	return nil
}

// launchService starts `skiff system service` on m's store listening on
// uri (with extra flags), logging to base/service.log, and waits until
// dial connects.
func (m *Mode) launchService(base, uri string, extra []string, dial func() (net.Conn, error)) (*service, error) {
	logPath := filepath.Join(base, "service.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := append(m.localArgs(), "system", "service", "--time", "0")
	args = append(append(args, extra...), uri)
	c := exec.Command(suite.bin, args...)
	c.Env = m.env()
	c.Dir = suite.work
	c.Stdout, c.Stderr = logf, logf
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if m.Rootless {
		c.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(m.uid), Gid: uint32(m.gid), Groups: m.groups}
	}
	if err := c.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s service: %w", m.Name, err)
	}
	svc := &service{cmd: c, log: logPath, exited: make(chan struct{})}
	go func() { _ = c.Wait(); close(svc.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if conn, err := dial(); err == nil {
			conn.Close()
			return svc, nil
		}
		select {
		case <-svc.exited:
			out, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("the %s service exited at once: %s", m.Name, out)
		default:
		}
		if time.Now().After(deadline) {
			svc.stop()
			return nil, fmt.Errorf("the %s service did not listen on %s within 30s", m.Name, uri)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the service gracefully, then forcibly.
func (s *service) stop() {
	if s == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return
	case <-time.After(15 * time.Second):
	}
	fmt.Fprintf(os.Stderr, "e2e: service %s ignored SIGTERM for 15s; killing it\n", s.sock)
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
}

// localOnly skips a case in the remote modes, saying why: a few cases
// test the CLI process itself rather than what it asks the engine to do.
func (m *Mode) localOnly(t *testing.T, why string) {
	t.Helper()
	if m.Remote {
		t.Skipf("local mode only: %s", why)
	}
}

// parseMode turns a SKIFF_E2E_MODES entry into its base name and whether
// it is remote.
func parseMode(name string) (base string, remote bool) {
	if b, ok := strings.CutSuffix(name, remoteSuffix); ok {
		return b, true
	}
	return name, false
}

// startServices starts the services of the remote modes.
func (s *suiteState) startServices() error {
	for _, m := range s.modes {
		if m.Remote {
			if err := m.startService(filepath.Dir(m.root)); err != nil {
				return err
			}
		}
	}
	return nil
}

// stopServices stops every service the suite started.
func (s *suiteState) stopServices() {
	s.mu.Lock()
	stores := append([]*Mode(nil), s.stores...)
	s.mu.Unlock()
	for _, m := range stores {
		m.svc.stop()
	}
}

// TestRemoteErrorClasses checks what only the remote modes can get wrong:
// the error class and the exit code of each failure are those of the local
// engine, with the same message.
func TestRemoteErrorClasses(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "create", "--name", name, image, "true")
		cases := []struct {
			args []string
			code int
			text string
		}{
			{[]string{"inspect", "--type", "container", "no-such-" + name}, 125, "no such container"},
			{[]string{"create", "--name", name, image}, 125, "already in use"},
			{[]string{"exec", name, "true"}, 125, "not running"},
			{[]string{"run", "--rm", image, "sh", "-c", "exit 42"}, 42, ""},
			{[]string{"run", "--rm", image, "/no/such/binary"}, 127, ""},
			{[]string{"run", "--rm", "localhost/no-such-image:1"}, 125, ""},
			{[]string{"container", "exists", "no-such-" + name}, 1, ""},
			{[]string{"start", "-a", name}, 0, ""},
		}
		for _, c := range cases {
			res := m.run(t, c.args...)
			wantErr(t, res, c.code, c.text)
		}
	})
}
