package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The container networking cases: each container gets a network
// namespace of its own (pasta rootless, the bridge network through
// netavark as root), published ports reach it from the host, it reaches
// the host as host.containers.internal, and nothing of its network
// outlives it, whatever was killed.

// defaultNetwork is the mode a container gets when it names none.
func defaultNetwork(m *Mode) string {
	if m.Rootless {
		return "pasta"
	}
	return "bridge"
}

// freeHostPort is a port of 127.0.0.1 nobody listens on just now.
func freeHostPort(t testing.TB, proto string) int {
	t.Helper()
	if proto == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lowPorts are the ports below 1024 claimLowPort handed out. As root a
// bridge container's published port is a firewall rule, not a socket, so
// a listen probe finds it free: without this the modes that run at once
// would publish the same port.
var lowPorts = struct {
	sync.Mutex
	taken map[int]bool
}{taken: map[int]bool{}}

// claimLowPort is a port below 1024 of 127.0.0.1 that nobody listens on
// and no other case of this run was given; 0 when there is none.
func claimLowPort() int {
	lowPorts.Lock()
	defer lowPorts.Unlock()
	for p := 1023; p > 600; p-- {
		if lowPorts.taken[p] {
			continue
		}
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
			l.Close()
			lowPorts.taken[p] = true
			return p
		}
	}
	return 0
}

// httpGet fetches url, failing only the attempt (the caller retries).
func httpGet(url string) (string, error) {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(body), fmt.Errorf("status %s", resp.Status)
	}
	return string(body), err
}

// httpdScript serves text as /index.html with busybox httpd on port 80.
func httpdScript(text string) string {
	return "mkdir -p /www && echo " + text + " > /www/index.html && exec httpd -f -p 80 -h /www"
}

// wantServes waits until url answers with text.
func wantServes(t testing.TB, url, text string) {
	t.Helper()
	eventually(t, func() (bool, string) {
		body, err := httpGet(url)
		return err == nil && strings.TrimSpace(body) == text, fmt.Sprintf("GET %s: %q, %v", url, body, err)
	})
}

// helperProcesses are the pids of pasta and slirp4netns processes whose
// command line mentions s (a store's runroot, a container ID).
func helperProcesses(s string) []int {
	var pids []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		exe := filepath.Base(args[0])
		if (strings.HasPrefix(exe, "pasta") || strings.HasPrefix(exe, "passt") || exe == "slirp4netns") &&
			strings.Contains(string(cmdline), s) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// netnsFiles lists the network namespace files (and helper pid files) of
// a store.
func netnsFiles(m *Mode) []string {
	entries, _ := os.ReadDir(filepath.Join(m.runroot, "skiff", "netns"))
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestNetworkOwnNamespace(t *testing.T) {
	hostNS, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.run(t, "run", "--rm", image, "sh", "-c", "readlink /proc/self/ns/net; cat /proc/net/dev")
		wantCode(t, res, 0)
		if strings.Contains(res.Stdout, hostNS) {
			t.Errorf("the default network shares the host's namespace %s", hostNS)
		}
		got := interfaces(res.Stdout)
		if strings.Join(got, ",") != "eth0,lo" {
			t.Errorf("default network: want lo and eth0 only (no host interface), got %v", got)
		}

		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "create", "--name", name, image, "true")
		if got := m.inspectField(t, name, "{{.HostConfig.NetworkMode}}"); got != defaultNetwork(m) {
			t.Errorf("default network mode: want %s, got %s", defaultNetwork(m), got)
		}
		if got := m.inspectField(t, name, "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}"); got != defaultNetwork(m) {
			t.Errorf("inspect Networks: want %s, got %q", defaultNetwork(m), got)
		}
	})
}

func TestNetworkBridgeInspect(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		if m.Rootless {
			t.Skip("the bridge network is the root default; rootless it goes through the rootless network namespace (TestNetworkOwnNamespace covers pasta)")
		}
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "run", "-d", "--name", name, "--network", "bridge", image, "sleep", "600")
		m.waitRunning(t, name)
		res := m.must(t, "inspect", "--format", "{{json .NetworkSettings.Networks.bridge}}", name)
		var ep struct{ IPAddress, Gateway, MacAddress, NetworkID string }
		if err := json.Unmarshal([]byte(res.Stdout), &ep); err != nil {
			t.Fatalf("decoding the bridge endpoint: %v: %s", err, res)
		}
		if !strings.HasPrefix(ep.IPAddress, "10.99.") || ep.Gateway != "10.99.0.1" || ep.MacAddress == "" || len(ep.NetworkID) != 64 {
			t.Errorf("bridge endpoint: %+v", ep)
		}
		out := m.must(t, "exec", name, "sh", "-c", "ip -4 -o addr show eth0; grep host.containers.internal /etc/hosts").Stdout
		if !strings.Contains(out, ep.IPAddress+"/16") || !strings.Contains(out, "10.99.0.1\thost.containers.internal host.docker.internal") {
			t.Errorf("container's address and hosts entry: %q (inspect %+v)", out, ep)
		}
	})
}

func TestNetworkPublishTCP(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		port := freeHostPort(t, "tcp")
		text := "hello-" + strconv.Itoa(port)
		m.must(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), "--expose", "443", image, "sh", "-c", httpdScript(text))
		url := fmt.Sprintf("http://127.0.0.1:%d/index.html", port)
		wantServes(t, url, text)

		wantOut(t, m.must(t, "port", name), fmt.Sprintf("80/tcp -> 127.0.0.1:%d", port))
		wantOut(t, m.must(t, "port", name, "80/tcp"), fmt.Sprintf("127.0.0.1:%d", port))
		wantErr(t, m.run(t, "port", name, "81"), 125, "no public port '81/tcp' published for "+name)
		wantOut(t, m.must(t, "ps", "--filter", "name=^"+name+"$", "--format", "{{.Ports}}"), fmt.Sprintf("443/tcp, 127.0.0.1:%d->80/tcp", port))
		wantOut(t, m.must(t, "inspect", "--format", "{{json .NetworkSettings.Ports}}", name),
			fmt.Sprintf(`{"443/tcp":null,"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"%d"}]}`, port))
		wantOut(t, m.must(t, "inspect", "--format", "{{json .HostConfig.PortBindings}}", name),
			fmt.Sprintf(`{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"%d"}]}`, port))

		// A stopped container's port is free at once, and comes back
		// with the container.
		m.must(t, "stop", "-t", "0", name)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatalf("port %d still taken after stop: %v", port, err)
		}
		l.Close()
		wantOut(t, m.must(t, "port", name), "")
		m.must(t, "start", name)
		wantServes(t, url, text)
		m.must(t, "restart", "-t", "0", name)
		wantServes(t, url, text)
	})
}

// udpEchoSource is a UDP echo server for the container: busybox's nc has
// no UDP in Debian's build. It prints each datagram and sends it back.
const udpEchoSource = `package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	c, err := net.ListenPacket("udp", ":5000")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buf := make([]byte, 2048)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			os.Exit(1)
		}
		fmt.Printf("%s from %s\n", buf[:n], from)
		c.WriteTo(buf[:n], from)
	}
}
`

var (
	udpEchoOnce sync.Once
	udpEchoPath string
	udpEchoErr  error
)

// udpEcho builds the echo server once, statically, where every mode's
// user can bind-mount it from.
func udpEcho(t testing.TB) string {
	t.Helper()
	goBin := needTool(t, "go", "hack/install-deps.sh build")
	udpEchoOnce.Do(func() {
		dir := filepath.Join(suite.work, "udpecho")
		if udpEchoErr = os.MkdirAll(dir, 0o755); udpEchoErr != nil {
			return
		}
		src := filepath.Join(dir, "main.go")
		if udpEchoErr = os.WriteFile(src, []byte(udpEchoSource), 0o644); udpEchoErr != nil {
			return
		}
		udpEchoPath = filepath.Join(dir, "udpecho")
		cmd := exec.Command(goBin, "build", "-o", udpEchoPath, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GO111MODULE=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			udpEchoErr = fmt.Errorf("building the UDP echo server: %v: %s", err, out)
			return
		}
		udpEchoErr = os.Chmod(udpEchoPath, 0o755)
	})
	if udpEchoErr != nil {
		t.Fatal(udpEchoErr)
	}
	return udpEchoPath
}

// hostAddress is an IPv4 address of the host that is not loopback.
func hostAddress(t testing.TB) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
			return ipn.IP.String()
		}
	}
	t.Fatal("the host has no IPv4 address besides loopback")
	return ""
}

// TestNetworkPublishUDP sends datagrams to a published UDP port. From the
// host's loopback they arrive (the container logs them); the round trip
// goes through the host's own non-loopback address, because Debian 12's
// pasta (passt 2023-03-09) drops the replies of loopback UDP flows, a
// bug of that version (the container's reply leaves, pasta never
// delivers it).
func TestNetworkPublishUDP(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		echo := udpEcho(t)
		name := cname(t)
		m.cleanup(t, name)
		port := freeHostPort(t, "udp")
		m.must(t, "run", "-d", "--name", name, "-v", echo+":/udpecho:ro", "-p", fmt.Sprintf("%d:5000/udp", port), image, "/udpecho")
		m.waitRunning(t, name)
		send := func(dst, msg string, wantEcho bool) {
			conn, err := net.Dial("udp", net.JoinHostPort(dst, strconv.Itoa(port)))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			buf := make([]byte, 2048)
			eventually(t, func() (bool, string) {
				// UDP may be dropped until the server is up: send again.
				if _, err := conn.Write([]byte(msg)); err != nil {
					return false, err.Error()
				}
				if !wantEcho {
					res := m.run(t, "logs", name)
					return strings.Contains(res.Stdout, msg), res.String()
				}
				conn.SetReadDeadline(time.Now().Add(time.Second))
				n, err := conn.Read(buf)
				return err == nil && string(buf[:n]) == msg, fmt.Sprintf("echo from %s: %q, %v", dst, buf[:n], err)
			})
		}
		send("127.0.0.1", "loopback-"+strconv.Itoa(port), false)
		send(hostAddress(t), "roundtrip-"+strconv.Itoa(port), true)
		wantOut(t, m.must(t, "port", name), fmt.Sprintf("5000/udp -> 0.0.0.0:%d", port))
	})
}

// TestNetworkHostContainersInternal reaches a server of the host by name.
// Rootless (pasta) the name is the gateway address, which pasta maps to
// the host's loopback: a server on 127.0.0.1 answers. As root (bridge) it
// is the bridge's gateway, the host's own address on skiff0: a server
// must listen there or on 0.0.0.0, as with Docker's host-gateway.
func TestNetworkHostContainersInternal(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		addr := "127.0.0.1:0"
		if !m.Rootless {
			addr = "0.0.0.0:0"
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "from-the-host")
		})}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		port := l.Addr().(*net.TCPAddr).Port
		for _, host := range []string{"host.containers.internal", "host.docker.internal"} {
			res := m.run(t, "run", "--rm", image, "wget", "-q", "-O", "-", fmt.Sprintf("http://%s:%d/", host, port))
			wantCode(t, res, 0)
			wantOut(t, res, "from-the-host")
		}
		// --add-host host-gateway names the same address.
		res := m.must(t, "run", "--rm", "--add-host", "gw.example:host-gateway", image, "sh", "-c",
			"grep -w gw.example /etc/hosts | cut -f1; grep -w host.containers.internal /etc/hosts | cut -f1")
		if lines := res.Lines(); len(lines) != 2 || lines[0] != lines[1] {
			t.Errorf("host-gateway and host.containers.internal differ: %s", res)
		}
	})
}

// TestNetworkPortTaken: a host port in use fails run in one line naming
// it, and leaves no container, namespace or pasta behind.
func TestNetworkPortTaken(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		port := l.Addr().(*net.TCPAddr).Port
		name := cname(t)
		res := m.run(t, "run", "--rm", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image, "true")
		wantErr(t, res, 125, fmt.Sprintf("127.0.0.1:%d", port))
		if lines := strings.Split(strings.TrimSpace(res.Stderr), "\n"); len(lines) != 1 {
			t.Errorf("want one line on stderr, got %q", res.Stderr)
		}
		wantOut(t, m.must(t, "ps", "-a", "-q"), "")
		if files := netnsFiles(m); len(files) != 0 {
			t.Errorf("network namespace files left: %v", files)
		}
		if pids := helperProcesses(m.runroot); len(pids) != 0 {
			t.Errorf("network helpers left: %v", pids)
		}
		// The same with create: nothing stored.
		wantCode(t, m.run(t, "create", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image, "true"), 125)
		wantOut(t, m.must(t, "ps", "-a", "-q"), "")
	})
}

// TestNetworkPortHeld: a port a running container publishes is held for
// it, whatever its network: as root a bridge port is only a firewall
// rule, so conmon holds a bound socket. A second store's container asking
// for it fails in one line and leaves nothing; the port is free again
// once the first stops.
func TestNetworkPortHeld(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		first, second := m.isolated(t), m.isolated(t)
		port := freeHostPort(t, "tcp")
		publish := fmt.Sprintf("127.0.0.1:%d:80", port)
		name := cname(t)
		first.must(t, "run", "-d", "--name", name, "-p", publish, image, "sh", "-c", httpdScript("first"))
		wantServes(t, fmt.Sprintf("http://127.0.0.1:%d/index.html", port), "first")
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			l.Close()
			t.Errorf("port %d of a running container could be bound by another program", port)
		}
		res := second.run(t, "run", "-d", "--name", name, "-p", publish, image, "true")
		wantErr(t, res, 125, "address already in use")
		wantOut(t, second.must(t, "ps", "-a", "-q"), "")
		first.must(t, "stop", "-t", "0", name)
		second.must(t, "run", "--rm", "-p", publish, image, "true")
		first.must(t, "rm", "-f", name)
	})
}

// TestNetworkPrivilegedPort: rootless, a port below
// net.ipv4.ip_unprivileged_port_start is refused saying how to allow it
// (or works, where the host allows it already); as root it works.
func TestNetworkPrivilegedPort(t *testing.T) {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start")
	if err != nil {
		t.Fatal(err)
	}
	start, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	forModes(t, func(t *testing.T, m *Mode) {
		port := claimLowPort()
		if port == 0 {
			t.Fatal("no free port below 1024 on 127.0.0.1")
		}
		name := cname(t)
		m.cleanup(t, name)
		args := []string{"run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image, "sh", "-c", httpdScript("low")}
		if m.Rootless && port < start {
			res := m.run(t, args...)
			wantErr(t, res, 125, fmt.Sprintf("sysctl -w net.ipv4.ip_unprivileged_port_start=%d", port))
			wantStderr(t, res, strconv.Itoa(port))
			return
		}
		m.must(t, args...)
		wantServes(t, fmt.Sprintf("http://127.0.0.1:%d/index.html", port), "low")
	})
}

// TestNetworkKill9: conmon and pasta killed with SIGKILL do not wedge rm,
// which still frees the port and removes the namespace.
func TestNetworkKill9(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		name := cname(t)
		port := freeHostPort(t, "tcp")
		m.must(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image, "sh", "-c", httpdScript("k9"))
		wantServes(t, fmt.Sprintf("http://127.0.0.1:%d/index.html", port), "k9")
		id := m.containerID(t, name)
		conmon, _ := strconv.Atoi(m.inspectField(t, name, "{{.State.ConmonPid}}"))
		if conmon <= 0 {
			t.Fatalf("no conmon pid for %s", name)
		}
		syscall.Kill(conmon, syscall.SIGKILL)
		for _, pid := range helperProcesses(id) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		m.must(t, "rm", "-f", name)
		if files := netnsFiles(m); len(files) != 0 {
			t.Errorf("network namespace files left: %v", files)
		}
		eventually(t, func() (bool, string) {
			pids := helperProcesses(m.runroot)
			return len(pids) == 0, fmt.Sprintf("network helpers left: %v", pids)
		})
		eventually(t, func() (bool, string) {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
			if err != nil {
				return false, fmt.Sprintf("port %d still taken: %v", port, err)
			}
			l.Close()
			return true, ""
		})
	})
}

// TestNetworkHelperKilledRestart: a container whose pasta was killed
// stops and starts again with its port served (the next start clears
// what the dead helper left). As root the bridge has no helper process,
// and the case is a plain stop and start with a published port.
func TestNetworkHelperKilledRestart(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		port := freeHostPort(t, "tcp")
		url := fmt.Sprintf("http://127.0.0.1:%d/index.html", port)
		m.must(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image, "sh", "-c", httpdScript("again"))
		wantServes(t, url, "again")
		for _, pid := range helperProcesses(m.containerID(t, name)) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		m.must(t, "stop", "-t", "0", name)
		m.must(t, "start", name)
		wantServes(t, url, "again")
	})
}

// TestNetworkEtcFiles: --hostname, --add-host, --dns, --dns-search,
// --dns-option and --no-hosts shape the container's files.
func TestNetworkEtcFiles(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		res := m.must(t, "run", "--name", name, "--hostname", "web1", "--add-host", "db.example:10.1.2.3",
			"--dns", "192.0.2.53", "--dns-search", "example.org", "--dns-option", "ndots:3",
			image, "sh", "-c", "cat /etc/hostname /etc/hosts /etc/resolv.conf")
		out := res.Stdout
		for _, want := range []string{"web1\n", "10.1.2.3\tdb.example", "\tweb1 " + name, "host.containers.internal host.docker.internal",
			"nameserver 192.0.2.53", "search example.org", "options ndots:3"} {
			if !strings.Contains(out, want) {
				t.Errorf("want %q in the container's files: %s", want, res)
			}
		}
		if strings.Count(out, "nameserver") != 1 {
			t.Errorf("--dns replaces the host's servers: %s", res)
		}
		res = m.must(t, "run", "--rm", "--no-hosts", image, "sh", "-c", "cat /etc/hosts 2>&1; true")
		if strings.Contains(res.Stdout, "host.containers.internal") {
			t.Errorf("--no-hosts: the image's /etc/hosts is replaced: %s", res)
		}
		wantErr(t, m.run(t, "run", "--rm", "--dns", "not-an-ip", image, "true"), 125, `invalid --dns "not-an-ip"`)
		wantErr(t, m.run(t, "run", "--rm", "--add-host", "nohost", image, "true"), 125, `invalid --add-host "nohost"`)
		wantErr(t, m.run(t, "run", "--rm", "--network", "host", "-p", "8080:80", image, "true"), 125, "cannot publish ports with --network")
		wantErr(t, m.run(t, "run", "--rm", "--network", "pasta", "--mac-address", "92:d0:c6:0a:29:33", image, "true"), 125, "--mac-address needs a bridge network")
	})
}

// TestNetworkNoneStaysLean: --network none makes no namespace file and
// starts no helper.
func TestNetworkNoneStaysLean(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		name := cname(t)
		m.must(t, "run", "-d", "--name", name, "--network", "none", image, "sleep", "600")
		m.waitRunning(t, name)
		if files := netnsFiles(m); len(files) != 0 {
			t.Errorf("--network none made network namespace files: %v", files)
		}
		if pids := helperProcesses(m.runroot); len(pids) != 0 {
			t.Errorf("--network none started network helpers: %v", pids)
		}
		if _, err := os.Stat(filepath.Join(m.root, "networks")); err == nil {
			t.Errorf("--network none opened the network backend (%s exists)", filepath.Join(m.root, "networks"))
		}
		out := m.must(t, "exec", name, "cat", "/proc/net/dev").Stdout
		if got := interfaces(out); !bytes.Equal([]byte(strings.Join(got, ",")), []byte("lo")) {
			t.Errorf("--network none: want only lo, got %v", got)
		}
		m.must(t, "rm", "-f", name)
	})
}
