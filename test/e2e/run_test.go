package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestRunExitCodes(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.run(t, "run", "--rm", image, "echo", "hi")
		wantCode(t, res, 0)
		wantOut(t, res, "hi")

		wantCode(t, m.run(t, "run", "--rm", image, "sh", "-c", "exit 3"), 3)
		wantCode(t, m.run(t, "run", "--rm", image, "/nonexistent"), 127)
		wantCode(t, m.run(t, "run", "--rm", image, "/etc"), 126)
	})
}

func TestRunNoSuchImage(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.run(t, "run", "--rm", "nosuchimage")
		wantCode(t, res, 125)
		wantStderr(t, res, "nosuchimage")
		if !suite.podman {
			if n := len(strings.Split(strings.TrimSpace(res.Stderr), "\n")); n != 1 {
				t.Errorf("want exactly one stderr line, got %d: %s", n, res)
			}
		}
	})
}

func TestRunEnvWorkdirUser(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		envFile := filepath.Join(m.tempDir(t), "env")
		m.writeFile(t, envFile, "# a comment\nB=2\n\nC=three words\n")
		res := m.run(t, "run", "--rm", "-e", "A=1", "--env-file", envFile, image,
			"sh", "-c", `echo "$A|$B|$C"`)
		wantCode(t, res, 0)
		wantOut(t, res, "1|2|three words")

		res = m.run(t, "run", "--rm", "-w", "/tmp", image, "pwd")
		wantOut(t, res, "/tmp")

		res = m.run(t, "run", "--rm", "-u", "nobody", image, "id", "-u")
		wantOut(t, res, "65534")
		res = m.run(t, "run", "--rm", "-u", "65534:65534", image, "sh", "-c", "echo $(id -u):$(id -g)")
		wantOut(t, res, "65534:65534")
	})
}

func TestRunEntrypointHostnameLabels(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.run(t, "run", "--rm", "--entrypoint", "echo", image, "from", "entrypoint")
		wantOut(t, res, "from entrypoint")
		// An empty image CMD replaced: the entrypoint alone runs.
		res = m.run(t, "run", "--rm", "--entrypoint", "/bin/pwd", image)
		wantOut(t, res, "/")

		res = m.run(t, "run", "--rm", "--hostname", "myhost", image, "hostname")
		wantOut(t, res, "myhost")

		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "run", "--name", name, "-l", "a=b", "-l", "empty=", image, "true")
		wantOut(t, m.run(t, "container", "inspect", "--format", `{{index .Config.Labels "a"}}`, name), "b")
		wantOut(t, m.run(t, "container", "inspect", "--format", `{{index .Config.Labels "empty"}}`, name), "")
	})
}

func TestRunVolumes(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		host := m.tempDir(t)
		m.writeFile(t, filepath.Join(host, "in.txt"), "from-host\n")

		res := m.run(t, "run", "--rm", "-v", host+":/data", image,
			"sh", "-c", "cat /data/in.txt && echo from-ctr > /data/out.txt")
		wantCode(t, res, 0)
		wantOut(t, res, "from-host")
		b, err := os.ReadFile(filepath.Join(host, "out.txt"))
		if err != nil || string(b) != "from-ctr\n" {
			t.Errorf("file written in the container: %q, %v", b, err)
		}

		res = m.run(t, "run", "--rm", "-v", host+":/data:ro", image, "cat", "/data/in.txt")
		wantOut(t, res, "from-host")
		res = m.run(t, "run", "--rm", "-v", host+":/data:ro", image, "touch", "/data/new")
		if res.Code == 0 || res.Code == 125 {
			t.Errorf("write to a :ro volume: want the command to fail inside the container, got: %s", res)
		}
		wantStderr(t, res, "read-only")
		if _, err := os.Stat(filepath.Join(host, "new")); err == nil {
			t.Errorf("write to a :ro volume reached the host")
		}
	})
}

// ifaceLine matches an interface row of /proc/net/dev.
var ifaceLine = regexp.MustCompile(`(?m)^\s*([^\s:|]+):\s+\d`)

// interfaces lists the interface names in a /proc/net/dev dump.
func interfaces(dump string) []string {
	var out []string
	for _, m := range ifaceLine.FindAllStringSubmatch(dump, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func TestRunNetwork(t *testing.T) {
	hostNS, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.run(t, "run", "--rm", "--network", "none", image, "sh", "-c", "readlink /proc/self/ns/net; cat /proc/net/dev")
		wantCode(t, res, 0)
		if got := interfaces(res.Stdout); strings.Join(got, ",") != "lo" {
			t.Errorf("--network none: want only lo, got %v", got)
		}
		if strings.Contains(res.Stdout, hostNS) {
			t.Errorf("--network none: the container shares the host's network namespace %s", hostNS)
		}

		// The namespace link names the same inode inside and outside.
		res = m.run(t, "run", "--rm", "--network", "host", image, "readlink", "/proc/self/ns/net")
		wantCode(t, res, 0)
		wantOut(t, res, hostNS)
	})
}

func TestRunNameConflictAndBadFlag(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		m.must(t, "run", "--name", name, image, "true")
		res := m.run(t, "run", "--name", name, image, "true")
		wantCode(t, res, 125)
		wantStderr(t, res, "already in use")
		res = m.run(t, "create", "--name", name, image, "true")
		wantCode(t, res, 125)
		wantStderr(t, res, "already in use")

		res = m.run(t, "run", "--rm", "--stop-timeout", "abc", image, "true")
		wantCode(t, res, 125)
		wantStderr(t, res, "abc")
	})
}
