package compat

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"testing"
)

// TestCLINetworks drives the docker CLI's network commands through the
// service: create (subnet, gateway, labels, the bridge name option), ls
// with filters and templates, inspect (the default bridge network too),
// connect with an alias and disconnect, rm of a network in use, of a
// builtin one and of a free one, and prune, with Docker's words on the
// CLI's stderr and Docker's statuses underneath.
func TestCLINetworks(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "net")
		h := fnv.New32a()
		h.Write([]byte(name + md.name))
		sum := h.Sum32()
		subnet := fmt.Sprintf("10.%d.%d.0/24", 188+sum%4, (sum>>2)%256)
		gateway := strings.Replace(subnet, ".0/24", ".254", 1)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
			defer cancel()
			_ = md.dockerCmd(ctx, "network", "rm", name).Run()
		})
		id := md.must(t, "network", "create", "--subnet", subnet, "--gateway", gateway, "--label", "suite=compat",
			"-o", fmt.Sprintf("com.docker.network.bridge.name=skc%08x", sum), name).out()
		if !idRe.MatchString(id) {
			t.Fatalf("network create printed %q, want a full ID", id)
		}
		r := md.docker(t, nil, "network", "create", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "network with name "+name+" already exists")

		r = md.must(t, "network", "ls", "--filter", "name="+name, "--format", "{{.ID}} {{.Name}} {{.Driver}} {{.Scope}} {{.Labels}}")
		if r.out() != id[:12]+" "+name+" bridge local suite=compat" {
			t.Errorf("network ls row %q", r.out())
		}
		wantContains(t, "network ls -q --filter label", md.must(t, "network", "ls", "-q", "--filter", "label=suite=compat").stdout, id[:12])
		r = md.must(t, "network", "ls")
		wantContains(t, "network ls", r.stdout, "NETWORK ID", "bridge", "host", "none", name)

		r = md.must(t, "network", "inspect", "--format", "{{.Name}} {{.Id}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Labels.suite}}", name)
		if want := fmt.Sprintf("%s %s %s %s compat", name, id, subnet, gateway); r.out() != want {
			t.Errorf("network inspect %q, want %q", r.out(), want)
		}
		wantContains(t, "network inspect bridge", md.must(t, "network", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Scope}}", "bridge").out(), "bridge bridge local")
		r = md.docker(t, nil, "network", "inspect", "nosuch-net")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "network nosuch-net not found")

		// A container on the network (created with skiff's CLI on the
		// service's store), then taken off it and put back with an alias.
		ctr := uniqueName(t, "netctr")
		md.rmf(t, ctr)
		ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
		defer cancel()
		if out, err := md.skiffCmd(ctx, suite, "create", "--name", ctr, "--network", name, image, "true").CombinedOutput(); err != nil {
			t.Fatalf("skiff create --network %s: %v: %s", name, err, out)
		}
		md.must(t, "network", "disconnect", name, ctr)
		r = md.docker(t, nil, "network", "disconnect", name, ctr)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "is not connected to network "+name)
		md.must(t, "network", "connect", "--alias", "compatalias", name, ctr)
		r = md.docker(t, nil, "network", "connect", name, ctr)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "endpoint with name "+ctr+" already exists in network "+name)
		r = md.docker(t, nil, "network", "connect", name, "nosuch-ctr")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "No such container: nosuch-ctr")
		if got := md.must(t, "network", "inspect", "--format", "{{range .Containers}}{{.Name}}{{end}}", name).out(); got != ctr {
			t.Errorf("network inspect Containers: %q, want %s", got, ctr)
		}
		r = md.must(t, "inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{join $v.Aliases \",\"}} {{end}}", ctr)
		wantContains(t, "container inspect Networks", r.out(), name+"=compatalias")

		r = md.docker(t, nil, "network", "rm", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "network "+name+" is in use by container "+ctr)
		if code, msg := md.rawAnswer(t, http.MethodDelete, "/v1.51/networks/"+name, "", ""); code != http.StatusConflict {
			t.Errorf("DELETE of a network in use: %d %q, want 409", code, msg)
		}
		r = md.docker(t, nil, "network", "rm", "bridge")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "bridge is a pre-defined network and cannot be removed")
		if code, _ := md.rawAnswer(t, http.MethodDelete, "/v1.51/networks/host", "", ""); code != http.StatusForbidden {
			t.Errorf("DELETE /networks/host: %d, want 403", code)
		}
		if code, _ := md.rawAnswer(t, http.MethodGet, "/v1.51/networks/nosuch-net", "", ""); code != http.StatusNotFound {
			t.Errorf("GET /networks/nosuch-net: %d, want 404", code)
		}

		md.must(t, "network", "disconnect", name, ctr)
		wantContains(t, "network rm", md.must(t, "network", "rm", name).out(), name)
		r = md.docker(t, nil, "network", "ls", "-q", "--filter", "id="+id)
		if r.out() != "" {
			t.Errorf("network ls after rm: %q", r.out())
		}

		// prune removes an unused network and leaves the builtin ones.
		spare := uniqueName(t, "spare")
		md.must(t, "network", "create", "--label", "spare="+spare, spare)
		r = md.must(t, "network", "prune", "-f", "--filter", "label=spare="+spare)
		wantContains(t, "network prune", r.stdout, "Deleted Networks:", spare)
		wantContains(t, "network ls after prune", md.must(t, "network", "ls").stdout, "bridge", "host", "none")
	})
}
