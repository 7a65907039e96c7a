package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// userNetwork creates a bridge network for the test on a subnet and with a
// bridge name of its own (so that stores side by side, as root, never
// pick the same ones) and removes it at the end. extra are more flags.
func userNetwork(t *testing.T, m *Mode, salt string, extra ...string) string {
	t.Helper()
	name := cname(t, salt)
	subnet, gw := testSubnet(t, m, salt)
	bridge := fmt.Sprintf("sk%08x", fnv32(t.Name()+"/"+m.Name+"/"+salt))
	args := append([]string{"network", "create", "--subnet", subnet, "--gateway", gw,
		"-o", "com.docker.network.bridge.name=" + bridge}, extra...)
	m.must(t, append(args, name)...)
	t.Cleanup(func() {
		if res := m.run(t, "network", "rm", "-f", name); res.Code != 0 {
			t.Logf("removing network %s: %s", name, res)
		}
	})
	return name
}

// ncGet is a shell command that fetches url's path from host:port with
// busybox nc (the fixture's static busybox wget crashes), printing the
// whole answer, headers included.
func ncGet(hostPort string) []string {
	return []string{"sh", "-c", fmt.Sprintf(`printf 'GET / HTTP/1.0\r\n\r\n' | timeout -s KILL 10 nc -w 5 %s`, strings.Replace(hostPort, ":", " ", 1))}
}

// srvScript serves "hello from NAME" on port 8080 with busybox httpd.
func srvScript(name string) string {
	return fmt.Sprintf("mkdir -p /www && echo hello from %s > /www/index.html && exec httpd -f -p 8080 -h /www", name)
}

// hostListener serves "host" over HTTP on an address of the host's own
// for the whole test: 10.199.x.y/32 added to the host's loopback device.
// Not its main address, which a rootless network namespace (pasta) copies
// and so never reaches; not 127.0.0.1, which no namespace of a
// container reaches.
func hostListener(t *testing.T) string {
	t.Helper()
	ipTool := needTool(t, "ip", "iproute2 (Debian's base system)")
	h := fnv32(fmt.Sprint(os.Getpid(), t.Name()))
	addr := fmt.Sprintf("10.199.%d.%d", (h>>8)%256, 1+h%250)
	if out, err := exec.Command(ipTool, "addr", "add", addr+"/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("adding %s to lo: %v: %s", addr, err, out)
	}
	t.Cleanup(func() { _ = exec.Command(ipTool, "addr", "del", addr+"/32", "dev", "lo").Run() })
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		fmt.Fprint(w, "host")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// TestNetworkDNS: containers on one user network reach each other by name
// and by alias through aardvark-dns; a container on another network
// reaches neither the name nor the address; connecting a running
// container to the network makes both work, disconnecting it takes them
// away again; an --internal network reaches nothing outside, where a
// plain one reaches the host.
func TestNetworkDNS(t *testing.T) {
	needTool(t, "/usr/lib/podman/aardvark-dns", "hack/install-deps.sh runtime (aardvark-dns)")
	hostAddr := hostListener(t)
	forModes(t, func(t *testing.T, m *Mode) {
		front := userNetwork(t, m, "front")
		back := userNetwork(t, m, "back")
		srv, cli := cname(t, "srv"), cname(t, "cli")
		m.cleanup(t, srv, cli)
		m.must(t, "run", "-d", "--name", srv, "--network", front, "--network-alias", "webalias", image, "sh", "-c", srvScript(srv))
		m.waitRunning(t, srv)
		ip := strings.Split(m.must(t, "network", "inspect", "--format", "{{range .Containers}}{{.IPv4Address}}{{end}}", front).Out(), "/")[0]
		if net.ParseIP(ip) == nil {
			t.Fatalf("network inspect shows no address for %s: %q", srv, ip)
		}

		hello := "hello from " + srv
		fetch := func(network, hostPort string) Result {
			t.Helper()
			return m.run(t, append([]string{"run", "--rm", "--network", network, image}, ncGet(hostPort)...)...)
		}
		for _, host := range []string{srv, "webalias", ip} {
			// httpd may still be starting: wait for it.
			eventually(t, func() (bool, string) {
				res := fetch(front, host+":8080")
				return strings.Contains(res.Stdout, hello), res.String()
			})
		}
		res := fetch(back, ip+":8080")
		if strings.Contains(res.Stdout, hello) {
			t.Errorf("a container on network %s reached %s on network %s: %s", back, ip, front, res)
		}
		res = m.run(t, "run", "--rm", "--network", back, image, "nslookup", srv)
		if strings.Contains(res.Stdout, ip) {
			t.Errorf("a container on network %s resolved %s of network %s: %s", back, srv, front, res)
		}

		// A running container joins and leaves the network.
		m.must(t, "run", "-d", "--name", cli, "--network", back, image, "sleep", "1000")
		m.waitRunning(t, cli)
		get := func(host string) Result {
			t.Helper()
			return m.run(t, append([]string{"exec", cli}, ncGet(host+":8080")...)...)
		}
		if res := get(ip); strings.Contains(res.Stdout, hello) {
			t.Errorf("%s reached %s before it was connected: %s\n%s", cli, ip, res, firewall())
		}
		m.must(t, "network", "connect", "--alias", "clialias", front, cli)
		for _, host := range []string{srv, "webalias"} {
			if res := get(host); !strings.Contains(res.Stdout, hello) {
				t.Errorf("%s connected to %s does not reach %s: %s", cli, front, host, res)
			}
		}
		if res := m.run(t, "exec", srv, "nslookup", "clialias"); res.Code != 0 {
			t.Errorf("%s does not resolve the alias of the connected %s: %s", srv, cli, res)
		}
		members := m.must(t, "network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", front).Out()
		if !strings.Contains(members, cli) || !strings.Contains(members, srv) {
			t.Errorf("network inspect %s lists %q, want %s and %s", front, members, srv, cli)
		}
		m.must(t, "network", "disconnect", front, cli)
		if res := get(ip); strings.Contains(res.Stdout, hello) {
			t.Errorf("%s still reached %s after it was disconnected: %s\n%s", cli, ip, res, firewall())
		}

		// --internal: nothing outside, where a plain network reaches the host.
		internal := userNetwork(t, m, "internal", "--internal")
		if res := fetch(back, hostAddr); !strings.Contains(res.Stdout, "\r\n\r\nhost") {
			t.Errorf("a container on network %s does not reach the host at %s: %s", back, hostAddr, res)
		}
		res = fetch(internal, hostAddr)
		if strings.Contains(res.Stdout, "host") {
			t.Errorf("a container on internal network %s reached the host at %s: %s", internal, hostAddr, res)
		}
	})
}

// firewall is the host's iptables filter rules, to explain an isolation
// failure.
func firewall() string {
	out, _ := exec.Command("iptables", "-S").CombinedOutput()
	return string(out)
}
