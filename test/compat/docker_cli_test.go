package compat

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var idRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestCLIVersion(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.must(t, "version", "--format", "{{.Server.APIVersion}}|{{.Server.Version}}|{{.Server.Os}}|{{.Client.APIVersion}}")
		f := strings.Split(r.out(), "|")
		if len(f) != 4 || f[0] != "1.51" || f[1] == "" || f[2] != "linux" {
			t.Fatalf("server version fields %q", r.out())
		}
		// Plain output too: the CLI prints every component.
		r = md.must(t, "version")
		wantContains(t, "docker version", r.stdout, "Server:", "Engine:", "API version:")
	})
}

func TestCLIInfo(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.must(t, "info", "--format", "{{.OSType}}|{{.Driver}}|{{json .SecurityOptions}}|{{.Images}}|{{.DefaultRuntime}}")
		f := strings.Split(r.out(), "|")
		if len(f) != 5 || f[0] != "linux" || f[1] == "" || f[4] != "runc" {
			t.Fatalf("info fields %q", r.out())
		}
		if n, _ := strconv.Atoi(f[3]); n < 1 {
			t.Errorf("info reports %q images, want at least the fixture", f[3])
		}
		if got := strings.Contains(f[2], "name=rootless"); got != md.rootless {
			t.Errorf("SecurityOptions %s: rootless listed = %v, want %v", f[2], got, md.rootless)
		}
		if !strings.Contains(f[2], "name=seccomp,profile=builtin") {
			t.Errorf("SecurityOptions %s: no builtin seccomp profile listed", f[2])
		}
		r = md.must(t, "info")
		wantContains(t, "docker info", r.stdout, "Server Version:", "Storage Driver:")
	})
}

func TestCLIImages(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.must(t, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")
		wantContains(t, "images", r.stdout, "localhost/busybox:latest ")
		r = md.must(t, "image", "inspect", "--format", "{{json .Config.Cmd}}", image)
		if r.out() != `["sh"]` {
			t.Errorf("image Cmd = %s, want [\"sh\"]", r.out())
		}
	})
}

func TestCLIRunRm(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "runrm")
		r := md.docker(t, nil, "run", "--rm", "--name", name, image, "sh", "-c", "echo out; echo err >&2")
		wantCode(t, r, 0)
		if r.stdout != "out\n" || r.stderr != "err\n" {
			t.Errorf("stdout %q stderr %q, want \"out\\n\" and \"err\\n\" on their own streams", r.stdout, r.stderr)
		}
		r = md.docker(t, nil, "run", "--rm", image, "sh", "-c", "exit 3")
		wantCode(t, r, 3)
		eventually(t, func() (bool, string) {
			r := md.must(t, "ps", "-a", "--filter", "name="+name, "--format", "{{.Names}}")
			return r.out() == "", "the --rm container is still listed: " + r.out()
		})
	})
}

func TestCLIRunStdin(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.docker(t, strings.NewReader("hello from stdin\n"), "run", "--rm", "-i", image, "cat")
		wantCode(t, r, 0)
		if r.stdout != "hello from stdin\n" {
			t.Errorf("stdout %q, want the stdin echoed back (stdin half-close must end cat)", r.stdout)
		}
	})
}

func TestCLIErrors(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.docker(t, nil, "run", "--rm", "--health-cmd", "true", image, "true")
		wantCode(t, r, 125)
		wantContains(t, "stderr", r.stderr, "Config.Healthcheck is not supported yet")

		// Docker picks a free port of a host range; skiff's port
		// mappings have no such thing and say so.
		r = md.docker(t, nil, "run", "--rm", "-p", "8000-8010:80", image, "true")
		wantCode(t, r, 125)
		wantContains(t, "stderr", r.stderr, "a host port range (8000-8010) for one container port is not supported yet")

		r = md.docker(t, nil, "run", "--rm", "localhost/no-such-image:1", "true")
		wantCode(t, r, 125)
		wantContains(t, "stderr", r.stderr, "Unable to find image 'localhost/no-such-image:1' locally", "pulling localhost/no-such-image:1")

		r = md.docker(t, nil, "inspect", "--type", "container", "no-such-container-x")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "no-such-container-x")

		r = md.docker(t, nil, "stop", "no-such-container-x")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "No such container: no-such-container-x")
	})
}

func TestCLILifecycle(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "life")
		md.rmf(t, name)
		id := md.must(t, "run", "-d", "--name", name, image, "sleep", "1000").out()
		if !idRe.MatchString(id) {
			t.Fatalf("run -d printed %q, want a full ID", id)
		}
		r := md.must(t, "ps", "--filter", "name="+name, "--format", "{{.ID}} {{.Names}} {{.Status}} {{.Command}}")
		if !strings.HasPrefix(r.out(), id[:12]+" "+name+" Up ") {
			t.Errorf("ps row %q", r.out())
		}
		r = md.must(t, "inspect", "--format", "{{.Name}} {{.State.Status}} {{.State.Running}} {{.Id}}", name)
		if r.out() != "/"+name+" running true "+id {
			t.Errorf("inspect %q", r.out())
		}
		var full []map[string]any
		if err := json.Unmarshal([]byte(md.must(t, "inspect", name).stdout), &full); err != nil || len(full) != 1 {
			t.Fatalf("inspect JSON: %v", err)
		}

		// Starting a running container is a no-op (304), not an error.
		wantCode(t, md.docker(t, nil, "start", name), 0)

		r = md.docker(t, nil, "rm", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "You cannot remove a running container "+id)

		md.must(t, "stop", "-t", "1", name)
		r = md.must(t, "inspect", "--format", "{{.State.Status}}", name)
		if r.out() != "exited" {
			t.Errorf("after stop: status %q", r.out())
		}
		wantCode(t, md.docker(t, nil, "stop", name), 0) // 304

		r = md.docker(t, nil, "exec", name, "true")
		if r.code == 0 || !strings.Contains(r.stderr, "is not running") {
			t.Errorf("exec in a stopped container: %s", r)
		}
		r = md.docker(t, nil, "kill", name)
		if r.code == 0 || !strings.Contains(r.stderr, "is not running") {
			t.Errorf("kill of a stopped container: %s", r)
		}

		md.must(t, "start", name)
		before := md.must(t, "inspect", "--format", "{{.State.StartedAt}}", name).out()
		md.must(t, "restart", "-t", "1", name)
		r = md.must(t, "inspect", "--format", "{{.State.Status}} {{.State.StartedAt}}", name)
		if !strings.HasPrefix(r.out(), "running ") || strings.HasSuffix(r.out(), " "+before) {
			t.Errorf("after restart: %q (started before at %s)", r.out(), before)
		}

		md.must(t, "kill", name)
		r = md.must(t, "wait", name)
		if r.out() != "137" {
			t.Errorf("wait after kill printed %q, want 137", r.out())
		}
		md.must(t, "rm", name)
		r = md.docker(t, nil, "rm", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "No such container: "+name)
	})
}

func TestCLIWaitExitCode(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "wait")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sh", "-c", "sleep 1; exit 7")
		r := md.must(t, "wait", name)
		if r.out() != "7" {
			t.Errorf("wait printed %q, want 7", r.out())
		}
	})
}

func TestCLIRmForce(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "rmf")
		md.must(t, "run", "-d", "--name", name, image, "sleep", "1000")
		md.must(t, "rm", "-f", name)
		r := md.must(t, "ps", "-a", "--filter", "name="+name, "--format", "{{.Names}}")
		if r.out() != "" {
			t.Errorf("rm -f left %q", r.out())
		}
	})
}

func TestCLIPsFilters(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		tag := uniqueName(t, "ps")
		a1, a2, b := tag+"-a1", tag+"-a2", tag+"-b"
		md.rmf(t, a1, a2, b)
		md.must(t, "create", "--name", a1, "--label", tag+"=1", "--label", "com.example.hash=x y=z", image, "true")
		md.must(t, "run", "-d", "--name", a2, "--label", tag+"=2", image, "sleep", "1000")
		md.must(t, "create", "--name", b, "--label", tag+"-other=1", image, "true")

		names := func(args ...string) string {
			r := md.must(t, append(append([]string{"ps"}, args...), "--format", "{{.Names}}")...)
			lines := strings.Fields(r.out())
			sortStrings(lines)
			return strings.Join(lines, ",")
		}
		if got, want := names("-a", "--filter", "label="+tag), a1+","+a2; got != want {
			t.Errorf("label=key: %q, want %q", got, want)
		}
		if got, want := names("-a", "--filter", "label="+tag+"=1"), a1; got != want {
			t.Errorf("label=key=value: %q, want %q", got, want)
		}
		if got, want := names("-a", "--filter", "label="+tag, "--filter", "status=created"), a1; got != want {
			t.Errorf("label and status: %q, want %q", got, want)
		}
		if got, want := names("--filter", "name="+tag), a2; got != want {
			t.Errorf("running only: %q, want %q", got, want)
		}
		r := md.must(t, "ps", "-a", "--filter", "name="+a1, "--format", `{{.Label "com.example.hash"}}|{{.State}}|{{.Image}}`)
		if r.out() != "x y=z|created|"+image {
			t.Errorf("label round trip / format: %q", r.out())
		}
		// --format json is the CLI's own shorthand, from Docker 23 on;
		// older CLIs print it literally, and spell it {{json .}}.
		jsonFormat := "json"
		if dockerOlderThan(23, 0) {
			jsonFormat = "{{json .}}"
		}
		r = md.must(t, "ps", "-a", "--filter", "name="+a1, "--format", jsonFormat)
		var row map[string]any
		if err := json.Unmarshal([]byte(r.out()), &row); err != nil || row["Names"] != a1 {
			t.Errorf("ps --format json: %v, %v", row, err)
		}
	})
}

func TestCLILogs(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "logs")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sh", "-c", "echo one; echo oops >&2; "+gateWait("two")+"; echo two")

		// -f streams: "one" arrives while the container waits on a gate
		// that only opens after it arrived; then "two", and the exit.
		p := md.startPTY(t, 24, 80, "logs", "-f", name)
		p.expect(`one`)
		md.openGate(t, name, "two")
		p.expect(`two`)
		if code := p.wait(); code != 0 {
			t.Errorf("logs -f exited %d after the container ended", code)
		}

		r := md.must(t, "logs", name)
		if r.stdout != "one\ntwo\n" || r.stderr != "oops\n" {
			t.Errorf("logs stdout %q stderr %q", r.stdout, r.stderr)
		}
		r = md.must(t, "logs", "--tail", "1", name)
		if r.stdout != "two\n" {
			t.Errorf("logs --tail 1: %q", r.stdout)
		}
		r = md.must(t, "logs", "-t", name)
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one\n`).MatchString(r.stdout) {
			t.Errorf("logs -t: %q", r.stdout)
		}
	})
}

func TestCLIExec(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "exec")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sleep", "1000")
		r := md.must(t, "exec", name, "sh", "-c", "echo hi; echo ho >&2")
		if r.stdout != "hi\n" || r.stderr != "ho\n" {
			t.Errorf("exec stdout %q stderr %q", r.stdout, r.stderr)
		}
		wantCode(t, md.docker(t, nil, "exec", name, "sh", "-c", "exit 5"), 5)
		r = md.docker(t, strings.NewReader("piped\n"), "exec", "-i", name, "cat")
		wantCode(t, r, 0)
		if r.stdout != "piped\n" {
			t.Errorf("exec -i cat: %q", r.stdout)
		}
		r = md.docker(t, nil, "exec", "-e", "X=1", "-w", "/tmp", name, "sh", "-c", "echo $X $(pwd)")
		if r.out() != "1 /tmp" {
			t.Errorf("exec -e -w: %q", r.out())
		}
	})
}

func TestCLIRunInteractive(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		p := md.startPTY(t, 24, 80, "run", "-it", "--rm", image, "sh")
		p.expect(`# `)
		p.send("stty size\r")
		p.expect(`24 80`)
		if err := setSize(p.master, 30, 100); err != nil {
			t.Fatal(err)
		}
		// SIGWINCH makes the CLI post /resize; poll until it arrived.
		ok := false
		for deadline := time.Now().Add(hangTimeout); !ok && time.Now().Before(deadline); {
			p.send("stty size\r")
			time.Sleep(200 * time.Millisecond)
			p.mu.Lock()
			ok = strings.Contains(p.buf.String()[p.cursor:], "30 100")
			p.mu.Unlock()
		}
		if !ok {
			t.Fatalf("the container's terminal never became 30x100")
		}
		p.send("exit 4\r")
		if code := p.wait(); code != 4 {
			t.Errorf("docker run -it exited %d, want 4", code)
		}
	})
}

// TestCLIRunConsoleSize: the terminal has the client's size from its
// first instant (HostConfig.ConsoleSize on create), not only once the
// resize the CLI posts after start arrives: a command that asks at once
// sees it.
func TestCLIRunConsoleSize(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		p := md.startPTY(t, 27, 91, "run", "-it", "--rm", image, "stty", "size")
		p.expect(`27 91`)
		if code := p.wait(); code != 0 {
			t.Errorf("docker run -it stty size exited %d", code)
		}
	})
}

func TestCLIExecInteractive(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "execit")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sleep", "1000")
		p := md.startPTY(t, 33, 120, "exec", "-it", name, "sh")
		p.expect(`# `)
		p.send("stty size; tty\r")
		p.expect(`33 120`)
		p.expect(`/dev/pts/`)
		p.send("exit 6\r")
		if code := p.wait(); code != 6 {
			t.Errorf("docker exec -it exited %d, want 6", code)
		}
	})
}

func TestCLIRename(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		a, b, c := uniqueName(t, "ren"), uniqueName(t, "ren"), uniqueName(t, "ren")
		md.rmf(t, a, b, c)
		md.must(t, "create", "--name", a, image, "true")
		cid := md.must(t, "create", "--name", c, image, "true").out()
		md.must(t, "rename", a, b)
		if r := md.must(t, "inspect", "--format", "{{.Name}}", b); r.out() != "/"+b {
			t.Errorf("renamed container is %q", r.out())
		}
		r := md.docker(t, nil, "rename", b, c)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, `Conflict. The container name "/`+c+`" is already in use by container "`+cid+`"`)
		r = md.docker(t, nil, "create", "--name", c, image, "true")
		if r.code == 0 {
			t.Errorf("create with a taken name succeeded: %s", r)
		}
		wantContains(t, "stderr", r.stderr, `Conflict. The container name "/`+c+`" is already in use by container "`+cid+`". You have to remove (or rename) that container to be able to reuse that name.`)
	})
}

func TestCLIEvents(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "ev")
		since := time.Now().Add(-time.Second)
		md.must(t, "run", "--name", name, image, "true")
		md.must(t, "rm", name)
		until := time.Now().Add(time.Second)
		r := md.must(t, "events", "--since", strconv.FormatInt(since.Unix(), 10), "--until", strconv.FormatInt(until.Unix(), 10),
			"--filter", "container="+name, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")
		for _, want := range []string{"container create " + name, "container start " + name, "container die " + name, "container destroy " + name} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("events lack %q:\n%s", want, r.stdout)
			}
		}
		// Nothing from before --since.
		r = md.must(t, "events", "--since", strconv.FormatInt(until.Unix()+1, 10), "--until", strconv.FormatInt(until.Unix()+2, 10),
			"--filter", "container="+name)
		if r.out() != "" {
			t.Errorf("events after the window: %q", r.out())
		}
	})
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
