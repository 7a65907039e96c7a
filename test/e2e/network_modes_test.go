package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// The other network modes: slirp4netns, container:, ns:, the bridge
// network rootless (through containers/common's rootless network
// namespace) and an unknown network.

func TestNetworkSlirp4netns(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		needTool(t, "slirp4netns", "hack/install-deps.sh runtime")
		name := cname(t)
		m.cleanup(t, name)
		port := freeHostPort(t, "tcp")
		m.must(t, "run", "-d", "--name", name, "--network", "slirp4netns", "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image, "sh", "-c", httpdScript("slirp"))
		wantServes(t, fmt.Sprintf("http://127.0.0.1:%d/index.html", port), "slirp")
		out := m.must(t, "exec", name, "sh", "-c", "ip -4 -o addr show tap0; grep host.containers.internal /etc/hosts; head -1 /etc/resolv.conf").Stdout
		for _, want := range []string{"10.0.2.100/24", "10.0.2.2\thost.containers.internal", "nameserver 10.0.2.3"} {
			if !strings.Contains(out, want) {
				t.Errorf("want %q in: %q", want, out)
			}
		}
		id := m.containerID(t, name)
		m.must(t, "rm", "-f", name)
		eventually(t, func() (bool, string) {
			pids := helperProcesses(id)
			return len(pids) == 0, fmt.Sprintf("slirp4netns left: %v", pids)
		})
	})
}

func TestNetworkSharedNamespace(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		owner, guest := cname(t, "owner"), cname(t, "guest")
		m.cleanup(t, owner, guest)
		m.must(t, "run", "-d", "--name", owner, image, "sleep", "600")
		m.waitRunning(t, owner)
		ns := m.must(t, "exec", owner, "readlink", "/proc/self/ns/net").Out()
		res := m.must(t, "run", "--rm", "--name", guest, "--network", "container:"+owner, image, "readlink", "/proc/self/ns/net")
		wantOut(t, res, ns)

		sandbox := m.inspectField(t, owner, "{{.NetworkSettings.SandboxKey}}")
		res = m.must(t, "run", "--rm", "--network", "ns:"+sandbox, image, "readlink", "/proc/self/ns/net")
		wantOut(t, res, ns)

		m.must(t, "stop", "-t", "0", owner)
		wantErr(t, m.run(t, "run", "--rm", "--network", "container:"+owner, image, "true"), 125, "it is not running")
		wantErr(t, m.run(t, "run", "--rm", "--network", "container:"+owner, "-p", "8080:80", image, "true"), 125, "cannot publish ports")
	})
}

func TestNetworkBridgeByName(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.must(t, "run", "--rm", "--network", "bridge", "--network-alias", "db", image, "sh", "-c", "ip -4 -o addr show eth0")
		if !strings.Contains(res.Stdout, "10.99.") {
			t.Errorf("the bridge network's address: %s", res)
		}
		res = m.run(t, "run", "--rm", "--network", "nosuchnet", image, "true")
		wantErr(t, res, 125, "Error: network nosuchnet not found\n")
		if res.Stderr != "Error: network nosuchnet not found\n" {
			t.Errorf("want one line, got %q", res.Stderr)
		}
		wantErr(t, m.run(t, "run", "--rm", "--network", "bad mode", image, "true"), 125, `invalid network mode "bad mode"`)
		if !m.Rootless {
			wantErr(t, m.run(t, "run", "--rm", "--network", "pasta", image, "true"), 125, "--network pasta cannot be used as root")
		}
	})
}
