package compat

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// freeLoopbackPort is a TCP port nothing listens on at the moment.
func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestDockerRunPublish: `docker run -d -p 127.0.0.1:PORT:80` publishes the
// container's port 80 on the host's loopback; `docker port` and `docker
// ps` show the binding, and a request to it reaches the container.
func TestDockerRunPublish(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "pub")
		port := freeLoopbackPort(t)
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, "-p", fmt.Sprintf("127.0.0.1:%d:80", port), image,
			"sh", "-c", "mkdir -p /www && echo hello-published > /www/index.html && exec httpd -f -p 80 -h /www")

		// What was asked for, as Docker records it.
		r := md.must(t, "inspect", "--format", "{{json .HostConfig.PortBindings}} {{json .Config.ExposedPorts}}", name)
		if want := fmt.Sprintf(`{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"%d"}]} {"80/tcp":{}}`, port); r.out() != want {
			t.Errorf("inspect: got %s, want %s", r.out(), want)
		}

		// As root the container is on Docker's default bridge network,
		// whose address old clients read at the top of NetworkSettings.
		if !md.rootless {
			r := md.must(t, "inspect", "--format", "{{.NetworkSettings.IPAddress}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}{{end}}", name)
			ip, nets, _ := strings.Cut(r.out(), " ")
			if ip == "" || nets != "bridge="+ip {
				t.Errorf("inspect: top-level address %q, networks %q; want the bridge network's address in both", ip, nets)
			}
		}

		url := fmt.Sprintf("http://127.0.0.1:%d/", port)
		client := &http.Client{Timeout: 5 * time.Second}
		eventually(t, func() (bool, string) {
			resp, err := client.Get(url)
			if err != nil {
				return false, err.Error()
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return false, err.Error()
			}
			return resp.StatusCode == http.StatusOK && strings.TrimSpace(string(body)) == "hello-published",
				fmt.Sprintf("GET %s: %d %q", url, resp.StatusCode, body)
		})

		r = md.must(t, "port", name)
		if want := fmt.Sprintf("80/tcp -> 127.0.0.1:%d", port); r.out() != want {
			t.Errorf("port: got %q, want %q", r.out(), want)
		}
		r = md.docker(t, nil, "port", name, "80/tcp")
		if want := fmt.Sprintf("127.0.0.1:%d", port); r.out() != want {
			t.Errorf("port %s 80/tcp: got %q, want %q", name, r.out(), want)
		}
		r = md.must(t, "ps", "--filter", "name="+name, "--format", "{{.Ports}}")
		if want := fmt.Sprintf("127.0.0.1:%d->80/tcp", port); r.out() != want {
			t.Errorf("ps Ports: got %q, want %q", r.out(), want)
		}
	})
}
