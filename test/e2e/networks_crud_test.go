package e2e

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// testSubnet is a /24 for the test and mode, unlikely to be taken by
// another test, mode or concurrent run (10.180.0.0 - 10.187.255.0).
func testSubnet(t testing.TB, m *Mode, salt string) (subnet, gateway string) {
	h := fnv32(t.Name() + "/" + m.Name + "/" + salt)
	b, c := 180+h%8, (h>>3)%256
	return fmt.Sprintf("10.%d.%d.0/24", b, c), fmt.Sprintf("10.%d.%d.254", b, c)
}

// TestNetworkCRUD covers create, ls (table, -q, --no-trunc, json, Go
// templates, every filter), inspect, exists and rm of networks, and the
// builtin bridge, host and none networks Docker lists, in a store of its
// own so that the lists are exact.
func TestNetworkCRUD(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		subnet, gw := testSubnet(t, m, "a")
		id := m.must(t, "network", "create", "--subnet", subnet, "--gateway", gw, "--label", "env=dev",
			"--label", "tier=db", "backend").Out()
		if !hex64.MatchString(id) {
			t.Fatalf("network create printed %q, want a 64-hex ID", id)
		}
		m.must(t, "network", "create", "--internal", "--label", "env=prod", "frontend")
		wantErr(t, m.run(t, "network", "create", "backend"), 125, "Error: network with name backend already exists\n")
		wantErr(t, m.run(t, "network", "create", "host"), 125, "Error: host is a pre-defined network and cannot be created\n")
		wantErr(t, m.run(t, "network", "create", "bad name"), 125, "names must match")
		wantErr(t, m.run(t, "network", "create", "--driver", "macvlan", "mv"), 125, `network driver "macvlan" is not supported`)

		ls := m.must(t, "network", "ls").Lines()
		if len(ls) != 6 || !strings.HasPrefix(ls[0], "NETWORK ID     NAME") {
			t.Fatalf("network ls: want a header and 5 networks, got %q", ls)
		}
		wantOut(t, m.run(t, "network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"),
			"backend bridge local\nbridge bridge local\nfrontend bridge local\nhost host local\nnone null local")
		wantOut(t, m.run(t, "network", "ls", "-q", "--filter", "name=^backend$"), id[:12])
		wantOut(t, m.run(t, "network", "ls", "-q", "--no-trunc", "--filter", "id="+id[:8]), id)

		names := func(args ...string) string {
			t.Helper()
			out := m.must(t, append(append([]string{"network", "ls"}, args...), "--format", "{{.Name}}")...).Lines()
			sort.Strings(out)
			return strings.Join(out, ",")
		}
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"--filter", "type=custom"}, "backend,frontend"},
			{[]string{"--filter", "type=builtin"}, "bridge,host,none"},
			{[]string{"--filter", "label=env"}, "backend,frontend"},
			{[]string{"--filter", "label=env=dev", "--filter", "label=tier=db"}, "backend"},
			{[]string{"--filter", "label=env=dev", "--filter", "label=tier=web"}, ""},
			{[]string{"--filter", "name=end"}, "backend,frontend"},
			{[]string{"--filter", "driver=null"}, "none"},
			{[]string{"--filter", "scope=local", "--filter", "name=^bridge$"}, "bridge"},
			{[]string{"--filter", "dangling=true"}, "backend,frontend"},
		} {
			if got := names(tt.args...); got != tt.want {
				t.Errorf("network ls %s: want %q, got %q", strings.Join(tt.args, " "), tt.want, got)
			}
		}
		wantErr(t, m.run(t, "network", "ls", "--filter", "colour=red"), 125, "Error: invalid filter 'colour'\n")
		wantErr(t, m.run(t, "network", "ls", "--filter", "type=overlay"), 125, "invalid filter: 'type'='overlay'")

		// --format json: one object per line with Docker's fields.
		for _, line := range m.must(t, "network", "ls", "--format", "json", "--filter", "name=^frontend$").Lines() {
			var row map[string]string
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("network ls --format json: %v: %q", err, line)
			}
			for k, want := range map[string]string{"Name": "frontend", "Driver": "bridge", "Scope": "local",
				"Internal": "true", "IPv6": "false", "Labels": "env=prod"} {
				if row[k] != want {
					t.Errorf("network ls --format json: %s = %q, want %q (row %v)", k, row[k], want, row)
				}
			}
			for _, k := range []string{"ID", "CreatedAt"} {
				if row[k] == "" {
					t.Errorf("network ls --format json: no %s in %v", k, row)
				}
			}
		}

		wantOut(t, m.run(t, "network", "inspect", "--format",
			"{{.Name}} {{.Id}} {{.Driver}} {{.Scope}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Internal}} {{.Labels.env}}", "backend"),
			fmt.Sprintf("backend %s bridge local %s %s false dev", id, subnet, gw))
		var inspected []map[string]any
		if err := json.Unmarshal([]byte(m.must(t, "network", "inspect", "frontend", "bridge").Stdout), &inspected); err != nil || len(inspected) != 2 {
			t.Fatalf("network inspect: %v, %d items", err, len(inspected))
		}
		for _, k := range []string{"Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Containers", "Options", "Labels"} {
			if _, ok := inspected[0][k]; !ok {
				t.Errorf("network inspect: no %s field: %v", k, inspected[0])
			}
		}
		res := m.run(t, "network", "inspect", "nosuch")
		wantErr(t, res, 125, "Error: network nosuch: no such network\n")
		wantOut(t, res, "[]")

		wantCode(t, m.run(t, "network", "exists", "backend"), 0)
		wantCode(t, m.run(t, "network", "exists", id[:10]), 0)
		wantCode(t, m.run(t, "network", "exists", "nosuch"), 1)

		for _, builtin := range []string{"bridge", "host", "none"} {
			wantErr(t, m.run(t, "network", "rm", builtin), 125, "Error: "+builtin+" is a pre-defined network and cannot be removed\n")
		}
		res = m.run(t, "network", "rm", "frontend", "nosuch", "backend")
		wantErr(t, res, 125, "Error: network nosuch: no such network\n")
		wantOut(t, res, "frontend\nbackend")
		wantOut(t, m.run(t, "network", "ls", "--filter", "type=custom", "-q"), "")
	})
}

// TestNetworkInUse: a container on a network (connected while created)
// makes rm refuse, naming it; rm -f removes the container and then the
// network, as Podman does; disconnect and connect change what inspect
// shows; prune asks Docker's question, keeps networks in use and honours
// its filters.
func TestNetworkInUse(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		m.must(t, "network", "create", "used")
		m.must(t, "create", "--name", "web", "--network", "used", image, "true")
		wantErr(t, m.run(t, "network", "connect", "used", "web"), 125, "Error: container web is already on network used\n")
		m.must(t, "network", "disconnect", "used", "web")
		m.must(t, "network", "connect", "--alias", "api", "used", "web")
		wantOut(t, m.run(t, "ps", "-a", "--filter", "network=used", "--format", "{{.Names}}"), "web")
		wantErr(t, m.run(t, "network", "connect", "used", "nosuch"), 125, "nosuch")
		wantErr(t, m.run(t, "network", "connect", "nosuch", "web"), 125, "Error: network nosuch: no such network\n")
		wantErr(t, m.run(t, "network", "connect", "host", "web"), 125, "Error: container web cannot be connected to the host network\n")
		wantOut(t, m.run(t, "network", "inspect", "--format", "{{range .Containers}}{{.Name}}{{end}}", "used"), "web")
		wantOut(t, m.run(t, "network", "ls", "--filter", "dangling=false", "--filter", "type=custom", "--format", "{{.Name}}"), "used")

		wantErr(t, m.run(t, "network", "rm", "used"), 125,
			"Error: network used is in use by container web (remove it first, or use --force)\n")
		m.must(t, "network", "disconnect", "used", "web")
		wantErr(t, m.run(t, "network", "disconnect", "used", "web"), 125, "Error: container web is not connected to network used\n")
		wantOut(t, m.run(t, "network", "inspect", "--format", "{{len .Containers}}", "used"), "0")
		m.must(t, "network", "connect", "used", "web")

		// Prune: nothing without -f and a yes; used stays; filters select.
		m.must(t, "network", "create", "--label", "keep=no", "old1")
		m.must(t, "network", "create", "--label", "keep=yes", "old2")
		res := m.runWith(t, runOpts{stdin: strings.NewReader("n\n")}, "network", "prune")
		wantOut(t, res, "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N]")
		wantOut(t, m.run(t, "network", "prune", "-f", "--filter", "label=keep=no"), "Deleted Networks:\nold1")
		wantOut(t, m.run(t, "network", "prune", "-f", "--filter", "until=1h"), "")
		wantErr(t, m.run(t, "network", "prune", "-f", "--filter", "name=x"), 125, "Error: invalid filter 'name'\n")
		res = m.runWith(t, runOpts{stdin: strings.NewReader("y\n")}, "network", "prune")
		if !strings.HasSuffix(res.Out(), "Deleted Networks:\nold2") {
			t.Errorf("network prune answered y: want old2 deleted, got %s", res)
		}

		wantOut(t, m.must(t, "network", "rm", "-f", "used"), "used")
		wantCode(t, m.run(t, "container", "exists", "web"), 1)
		wantCode(t, m.run(t, "network", "exists", "used"), 1)
	})
}
