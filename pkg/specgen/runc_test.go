package specgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// These tests run the generated spec through the real runc, as root and in
// a user namespace made by unshare for the unprivileged test user (a stand-in
// for skiff's own namespace: uid 0 maps to the user, 1..65536 to its
// subordinate range, as skiff maps them).

const rootlessUser = "skifftest"

// runcEnv is what the integration tests need from the machine.
type runcEnv struct {
	rootfs   string
	uid      int    // host uid of rootlessUser
	subStart string // start of its subordinate range
}

func needRunc(t *testing.T) runcEnv {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	// make test (SKIFF_TEST_STRICT=1) sets all of this up: there a miss
	// is the set-up's failure, not a reason to skip.
	skip := t.Skipf
	if os.Getenv("SKIFF_TEST_STRICT") == "1" {
		skip = t.Fatalf
	}
	for _, bin := range []string{"runc", "busybox", "unshare", "runuser", "newuidmap"} {
		if _, err := exec.LookPath(bin); err != nil {
			skip("needs %s (hack/install-deps.sh)", bin)
		}
	}
	u, err := user.Lookup(rootlessUser)
	if err != nil {
		skip("needs the %s user (hack/test-user.sh): %v", rootlessUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	start := subordinateStart(t, "/etc/subuid")
	if start == "" || start != subordinateStart(t, "/etc/subgid") {
		skip("needs equal /etc/subuid and /etc/subgid ranges for %s (hack/test-user.sh)", rootlessUser)
	}
	return runcEnv{rootfs: busyboxRootfs(t, uid), uid: uid, subStart: start}
}

func subordinateStart(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) == 3 && f[0] == rootlessUser {
			return f[1]
		}
	}
	return ""
}

// worldDir makes a directory every test user can enter.
func worldDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "specgen-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// busyboxRootfs builds a minimal rootfs owned by the rootless user's uid,
// which is container root in its namespace, as skiff's storage would be.
func busyboxRootfs(t *testing.T, uid int) string {
	t.Helper()
	root := filepath.Join(worldDir(t), "rootfs")
	for _, d := range []string{"bin", "etc", "proc", "sys", "dev", "tmp", "root", "home/app"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(root, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	bb, _ := exec.LookPath("busybox")
	data, err := os.ReadFile(bb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin/busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bb, "--list").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, applet := range strings.Fields(string(out)) {
		if applet != "busybox" {
			_ = os.Symlink("busybox", filepath.Join(root, "bin", applet))
		}
	}
	files := map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
		"etc/group":  "root:x:0:\ntty:x:5:\nwheel:x:10:app\napp:x:1000:\nnogroup:x:65534:\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := exec.Command("chown", "-R", fmt.Sprintf("%d:%d", uid, uid), root).Run(); err != nil {
		t.Fatal(err)
	}
	return root
}

// run writes spec to a bundle and runs it in the foreground; it
// returns the combined output and runc's exit code.
func (e runcEnv) run(t *testing.T, rootless bool, spec *specs.Spec) (string, int) {
	terminal := spec.Process.Terminal
	t.Helper()
	dir := worldDir(t)
	bundle, state := filepath.Join(dir, "bundle"), filepath.Join(dir, "state")
	for _, d := range []string{bundle, state} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(d, e.uid, e.uid); err != nil {
			t.Fatal(err)
		}
	}
	data, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	id := filepath.Base(dir)
	runc := []string{"runc", "--root", state, "run", "--bundle", bundle, id}
	var cmd *exec.Cmd
	if rootless {
		m := e.subStart + ",1,65536"
		args := append([]string{"-u", rootlessUser, "--", "unshare", "--map-user=0", "--map-group=0",
			"--map-users=" + m, "--map-groups=" + m, "--mount"}, runc...)
		cmd = exec.Command("runuser", args...)
	} else {
		cmd = exec.Command(runc[0], runc[1:]...)
	}
	if terminal {
		// runc proxies the container's terminal through its own, so give it
		// one.
		quoted := make([]string, len(cmd.Args))
		for i, a := range cmd.Args {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		cmd = exec.Command("script", "-qec", strings.Join(quoted, " "), "/dev/null")
	}
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running runc: %v", err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

func TestToOCIWithRunc(t *testing.T) {
	env := needRunc(t)
	data := worldDir(t)
	if err := os.WriteFile(filepath.Join(data, "file"), []byte("from-host\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o777); err != nil {
		t.Fatal(err)
	}
	hosts := filepath.Join(worldDir(t), "hosts")
	if err := os.WriteFile(hosts, []byte("127.0.0.1 localhost skiff-hosts-marker\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		spec     SpecGenerator
		image    ImageConfig
		opts     GenerateOptions
		wantCode int
		check    func(t *testing.T, rootless bool, out string)
	}{{
		name: "network none has only lo",
		spec: SpecGenerator{NetworkMode: "none", Command: []string{"ls", "/sys/class/net"}},
		check: func(t *testing.T, _ bool, out string) {
			if strings.TrimSpace(out) != "lo" {
				t.Errorf("interfaces = %q, want only lo", out)
			}
		},
	}, {
		name: "network host shares the host's network namespace",
		spec: SpecGenerator{NetworkMode: "host", Command: []string{"readlink", "/proc/self/ns/net"}},
		check: func(t *testing.T, _ bool, out string) {
			// The namespace, not the interface list: interfaces come and
			// go while other tests run.
			host, err := os.Readlink("/proc/self/ns/net")
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(out) != host {
				t.Errorf("container's network namespace %q, want the host's %q", strings.TrimSpace(out), host)
			}
		},
	}, {
		name: "user nobody",
		spec: SpecGenerator{User: "nobody", Command: []string{"sh", "-c", "id; grep CapEff /proc/self/status"}},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "uid=65534(nobody) gid=65534(nogroup)") {
				t.Errorf("id = %q, want nobody", out)
			}
			if !strings.Contains(out, "CapEff:\t0000000000000000") {
				t.Errorf("a non-root user kept effective capabilities: %q", out)
			}
		},
	}, {
		name:  "image user with supplementary groups",
		image: ImageConfig{User: "app", Cmd: []string{"sh", "-c", "id; echo HOME=$HOME"}},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "uid=1000(app) gid=1000(app) groups=10(wheel)") {
				t.Errorf("id = %q", out)
			}
			if !strings.Contains(out, "HOME=/home/app") {
				t.Errorf("HOME not set from passwd: %q", out)
			}
		},
	}, {
		name: "root has Docker's capabilities",
		spec: SpecGenerator{Command: []string{"grep", "CapEff", "/proc/self/status"}},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "00000000a80425fb") {
				t.Errorf("CapEff = %q, want Docker's default set a80425fb", out)
			}
		},
	}, {
		name:  "workdir",
		spec:  SpecGenerator{WorkDir: "/tmp", Command: []string{"pwd"}},
		image: ImageConfig{WorkingDir: "/home/app"},
		check: func(t *testing.T, _ bool, out string) {
			if strings.TrimSpace(out) != "/tmp" {
				t.Errorf("pwd = %q", out)
			}
		},
	}, {
		name:  "env merge and hostname",
		spec:  SpecGenerator{Env: []string{"FOO=user"}, Hostname: "web1", Command: []string{"sh", "-c", "env; hostname"}},
		image: ImageConfig{Env: []string{"FOO=image", "BAR=image"}},
		check: func(t *testing.T, _ bool, out string) {
			for _, want := range []string{"FOO=user", "BAR=image", "HOSTNAME=web1", "PATH=" + DefaultPath, "\nweb1\n"} {
				if !strings.Contains("\n"+out, want) {
					t.Errorf("output lacks %q: %q", want, out)
				}
			}
		},
	}, {
		name: "read-only bind mount",
		spec: SpecGenerator{
			Mounts:  []Mount{{Source: data, Destination: "/data", ReadOnly: true}},
			Command: []string{"sh", "-c", "cat /data/file; touch /data/new && echo WROTE; true"},
		},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "from-host") || !strings.Contains(out, "Read-only file system") || strings.Contains(out, "WROTE") {
				t.Errorf("read-only mount: %q", out)
			}
		},
	}, {
		name: "read-write bind mount",
		spec: SpecGenerator{
			Mounts:  []Mount{{Source: data, Destination: "/data"}},
			Command: []string{"sh", "-c", "mktemp -p /data && echo WROTE"},
		},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "WROTE") {
				t.Errorf("read-write mount: %q", out)
			}
		},
	}, {
		name: "terminal",
		spec: SpecGenerator{Terminal: true, Command: []string{"sh", "-c", "tty; echo TERM=$TERM"}},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "/dev/pts/") || !strings.Contains(out, "TERM=xterm") {
				t.Errorf("terminal: %q", out)
			}
		},
	}, {
		name: "etc files and cgroup mount",
		spec: SpecGenerator{Command: []string{"sh", "-c", "cat /etc/hosts; ls /sys/fs/cgroup"}},
		opts: GenerateOptions{HostsFile: hosts},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.Contains(out, "skiff-hosts-marker") {
				t.Errorf("/etc/hosts not mounted: %q", out)
			}
			if !strings.Contains(out, "memory") && !strings.Contains(out, "cgroup.controllers") {
				t.Errorf("cgroup mount empty: %q", out)
			}
		},
	}, {
		name: "masked and read-only paths",
		spec: SpecGenerator{Command: []string{"sh", "-c", "wc -c < /proc/timer_list; (echo 1 > /proc/sys/kernel/domainname) 2>/dev/null || echo RO"}},
		check: func(t *testing.T, _ bool, out string) {
			if !strings.HasPrefix(strings.TrimSpace(out), "0") || !strings.Contains(out, "RO") {
				t.Errorf("masked/readonly paths: %q", out)
			}
		},
	}, {
		name:     "exit code passes through",
		spec:     SpecGenerator{Command: []string{"sh", "-c", "exit 3"}},
		wantCode: 3,
	}}

	for _, rootless := range []bool{false, true} {
		for _, tc := range cases {
			mode := "root"
			if rootless {
				mode = "rootless"
			}
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				s := tc.spec
				s.Image = "busybox"
				opts := tc.opts
				opts.ID = "0123456789abcdef0123456789abcdef"
				opts.Rootfs = env.rootfs
				opts.Image = tc.image
				opts.Rootless = rootless
				opts.CgroupsAvailable = !rootless
				spec, err := s.ToOCI(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				out, code := env.run(t, rootless, spec)
				if code != tc.wantCode {
					t.Fatalf("exit code %d, want %d; output:\n%s", code, tc.wantCode, out)
				}
				if tc.check != nil {
					tc.check(t, rootless, out)
				}
			})
		}
	}
}
