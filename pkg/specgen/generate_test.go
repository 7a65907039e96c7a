package specgen

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// testRootfs writes just enough of a rootfs for user resolution.
func testRootfs(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
		"etc/group":  "root:x:0:\nwheel:x:10:app\napp:x:1000:\nstaff:x:50:\nnogroup:x:65534:\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func findMount(spec *specs.Spec, dst string) *specs.Mount {
	for i := range spec.Mounts {
		if spec.Mounts[i].Destination == dst {
			return &spec.Mounts[i]
		}
	}
	return nil
}

func hasNamespace(spec *specs.Spec, ns specs.LinuxNamespaceType) bool {
	for _, n := range spec.Linux.Namespaces {
		if n.Type == ns {
			return true
		}
	}
	return false
}

func TestToOCIShape(t *testing.T) {
	rootfs := testRootfs(t)
	src := t.TempDir()
	const id = "0123456789abcdef0123456789abcdef"
	cases := []struct {
		name   string
		spec   SpecGenerator
		opts   GenerateOptions
		check  func(t *testing.T, spec *specs.Spec)
		errStr string
	}{{
		name: "defaults",
		check: func(t *testing.T, spec *specs.Spec) {
			if spec.Root.Path != rootfs || spec.Root.Readonly {
				t.Errorf("root = %+v", spec.Root)
			}
			if spec.Hostname != id[:12] {
				t.Errorf("hostname = %q", spec.Hostname)
			}
			p := spec.Process
			if !reflect.DeepEqual(p.Args, []string{"sh"}) || p.Cwd != "/" || p.Terminal {
				t.Errorf("process = %+v", p)
			}
			if p.User.UID != 0 || p.User.GID != 0 || len(p.User.AdditionalGids) != 0 {
				t.Errorf("user = %+v", p.User)
			}
			wantEnv := []string{"PATH=" + DefaultPath, "HOSTNAME=" + id[:12], "HOME=/root"}
			if !reflect.DeepEqual(p.Env, wantEnv) {
				t.Errorf("env = %q, want %q", p.Env, wantEnv)
			}
			c := p.Capabilities
			if !reflect.DeepEqual(c.Bounding, defaultCapabilities) || !reflect.DeepEqual(c.Effective, defaultCapabilities) ||
				!reflect.DeepEqual(c.Permitted, defaultCapabilities) || len(c.Inheritable) != 0 || len(c.Ambient) != 0 {
				t.Errorf("capabilities = %+v", c)
			}
			if len(p.Rlimits) != 1 || p.Rlimits[0].Type != "RLIMIT_NOFILE" || p.Rlimits[0].Hard == 0 {
				t.Errorf("rlimits = %+v", p.Rlimits)
			}
			if sc := spec.Linux.Seccomp; sc == nil || sc.DefaultAction != specs.ActErrno || len(sc.Syscalls) == 0 {
				t.Errorf("no default seccomp profile: %+v", sc)
			}
			for _, ns := range []specs.LinuxNamespaceType{specs.PIDNamespace, specs.NetworkNamespace, specs.IPCNamespace, specs.UTSNamespace, specs.MountNamespace} {
				if !hasNamespace(spec, ns) {
					t.Errorf("namespace %s missing", ns)
				}
			}
			if hasNamespace(spec, specs.UserNamespace) {
				t.Error("spec has a user namespace")
			}
			if !slices.Contains(spec.Linux.MaskedPaths, "/proc/kcore") || !slices.Contains(spec.Linux.ReadonlyPaths, "/proc/sys") {
				t.Errorf("masked %q readonly %q", spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths)
			}
			if spec.Linux.CgroupsPath != "/skiff/"+id {
				t.Errorf("cgroupsPath = %q", spec.Linux.CgroupsPath)
			}
			if spec.Linux.Resources == nil || len(spec.Linux.Resources.Devices) == 0 {
				t.Error("root spec lost its device rules")
			}
			if m := findMount(spec, "/sys/fs/cgroup"); m == nil || !slices.Contains(m.Options, "ro") {
				t.Errorf("cgroup mount = %+v", m)
			}
			if spec.Annotations != nil {
				t.Errorf("annotations = %v", spec.Annotations)
			}
		},
	}, {
		name: "labels stay out of the spec",
		spec: SpecGenerator{Labels: map[string]string{"a": "b"}},
		check: func(t *testing.T, spec *specs.Spec) {
			if len(spec.Annotations) != 0 {
				t.Errorf("annotations = %v", spec.Annotations)
			}
		},
	}, {
		name: "rootless without cgroups",
		opts: GenerateOptions{Rootless: true},
		check: func(t *testing.T, spec *specs.Spec) {
			if spec.Linux.Resources != nil || spec.Linux.CgroupsPath != "" {
				t.Errorf("resources = %+v, cgroupsPath = %q", spec.Linux.Resources, spec.Linux.CgroupsPath)
			}
			pts := findMount(spec, "/dev/pts")
			for _, o := range []string{"newinstance", "ptmxmode=0666", "mode=0620", "gid=5"} {
				if pts == nil || !slices.Contains(pts.Options, o) {
					t.Errorf("/dev/pts = %+v lacks %s", pts, o)
				}
			}
			if m := findMount(spec, "/sys"); m == nil || m.Type != "sysfs" {
				t.Errorf("/sys = %+v, want sysfs with a private network namespace", m)
			}
		},
	}, {
		name: "rootless with cgroups",
		opts: GenerateOptions{Rootless: true, CgroupsAvailable: true},
		check: func(t *testing.T, spec *specs.Spec) {
			if spec.Linux.Resources == nil || len(spec.Linux.Resources.Devices) != 0 || spec.Linux.CgroupsPath != "" {
				t.Errorf("resources = %+v, cgroupsPath = %q", spec.Linux.Resources, spec.Linux.CgroupsPath)
			}
		},
	}, {
		name: "host network rootless",
		spec: SpecGenerator{NetworkMode: "host"},
		opts: GenerateOptions{Rootless: true},
		check: func(t *testing.T, spec *specs.Spec) {
			if hasNamespace(spec, specs.NetworkNamespace) || !hasNamespace(spec, specs.UTSNamespace) {
				t.Errorf("namespaces = %+v", spec.Linux.Namespaces)
			}
			want := specs.Mount{Destination: "/sys", Type: "bind", Source: "/sys", Options: []string{"rbind", "ro", "nosuid", "noexec", "nodev"}}
			if m := findMount(spec, "/sys"); m == nil || !reflect.DeepEqual(*m, want) {
				t.Errorf("/sys = %+v, want %+v", m, want)
			}
			if h, _ := os.Hostname(); spec.Hostname != h {
				t.Errorf("hostname = %q, want the host's %q", spec.Hostname, h)
			}
		},
	}, {
		name: "host network as root keeps sysfs",
		spec: SpecGenerator{NetworkMode: "host", Hostname: "mine"},
		check: func(t *testing.T, spec *specs.Spec) {
			if m := findMount(spec, "/sys"); m == nil || m.Type != "sysfs" {
				t.Errorf("/sys = %+v", m)
			}
			if spec.Hostname != "mine" {
				t.Errorf("hostname = %q", spec.Hostname)
			}
		},
	}, {
		name: "user by name with groups",
		spec: SpecGenerator{User: "app"},
		check: func(t *testing.T, spec *specs.Spec) {
			u := spec.Process.User
			if u.UID != 1000 || u.GID != 1000 || !reflect.DeepEqual(u.AdditionalGids, []uint32{10}) {
				t.Errorf("user = %+v", u)
			}
			if !slices.Contains(spec.Process.Env, "HOME=/home/app") {
				t.Errorf("env = %q", spec.Process.Env)
			}
		},
	}, {
		name: "user and group",
		spec: SpecGenerator{User: "nobody:staff", Env: []string{"HOME=/x"}},
		check: func(t *testing.T, spec *specs.Spec) {
			if u := spec.Process.User; u.UID != 65534 || u.GID != 50 {
				t.Errorf("user = %+v", u)
			}
			if !slices.Contains(spec.Process.Env, "HOME=/x") || slices.Contains(spec.Process.Env, "HOME=/nonexistent") {
				t.Errorf("env = %q", spec.Process.Env)
			}
		},
	}, {
		name: "numeric user not in passwd",
		spec: SpecGenerator{User: "4242:4343"},
		check: func(t *testing.T, spec *specs.Spec) {
			if u := spec.Process.User; u.UID != 4242 || u.GID != 4343 {
				t.Errorf("user = %+v", u)
			}
		},
	}, {
		name:   "unknown user",
		spec:   SpecGenerator{User: "ghost"},
		errStr: "unable to find user ghost: no matching entries in passwd file: invalid argument",
	}, {
		name:   "unknown group",
		spec:   SpecGenerator{User: "app:ghosts"},
		errStr: "unable to find group ghosts: no matching entries in group file: invalid argument",
	}, {
		name:   "invalid spec",
		spec:   SpecGenerator{NetworkMode: "container:"},
		errStr: `invalid network mode "container:": want container:<name or ID>: invalid argument`,
	}, {
		name: "bind mounts",
		spec: SpecGenerator{Mounts: []Mount{
			{Source: src, Destination: "/ro", ReadOnly: true},
			{Source: src, Destination: "/rw/", Options: []string{"bind", "rshared", "suid", "noexec", "z"}},
		}},
		check: func(t *testing.T, spec *specs.Spec) {
			want := specs.Mount{Destination: "/ro", Type: "bind", Source: src, Options: []string{"rbind", "ro", "rprivate", "nosuid", "nodev"}}
			if m := findMount(spec, "/ro"); m == nil || !reflect.DeepEqual(*m, want) {
				t.Errorf("/ro = %+v, want %+v", m, want)
			}
			want = specs.Mount{Destination: "/rw", Type: "bind", Source: src, Options: []string{"bind", "rw", "rshared", "suid", "nodev", "noexec"}}
			if m := findMount(spec, "/rw"); m == nil || !reflect.DeepEqual(*m, want) {
				t.Errorf("/rw = %+v, want %+v", m, want)
			}
		},
	}, {
		name: "etc files, user mount wins",
		spec: SpecGenerator{Mounts: []Mount{{Source: src, Destination: "/etc/hosts"}}},
		opts: GenerateOptions{HostsFile: "/run/x/hosts", ResolvConf: "/run/x/resolv.conf"},
		check: func(t *testing.T, spec *specs.Spec) {
			if m := findMount(spec, "/etc/hosts"); m == nil || m.Source != src {
				t.Errorf("/etc/hosts = %+v, want the user's", m)
			}
			if m := findMount(spec, "/etc/resolv.conf"); m == nil || m.Source != "/run/x/resolv.conf" || m.Type != "bind" {
				t.Errorf("/etc/resolv.conf = %+v", m)
			}
			if findMount(spec, "/etc/hostname") != nil {
				t.Error("/etc/hostname mounted though not given")
			}
		},
	}, {
		name: "user mount replaces a default mount",
		spec: SpecGenerator{Mounts: []Mount{{Source: src, Destination: "/dev/shm"}}},
		check: func(t *testing.T, spec *specs.Spec) {
			n := 0
			for _, m := range spec.Mounts {
				if m.Destination == "/dev/shm" {
					n++
					if m.Source != src {
						t.Errorf("/dev/shm = %+v", m)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d mounts at /dev/shm", n)
			}
		},
	}, {
		name: "terminal and workdir",
		spec: SpecGenerator{Terminal: true, WorkDir: "/tmp", Command: []string{"top"}},
		opts: GenerateOptions{Image: ImageConfig{Entrypoint: []string{"/e"}, WorkingDir: "/srv"}},
		check: func(t *testing.T, spec *specs.Spec) {
			p := spec.Process
			if !p.Terminal || p.Cwd != "/tmp" || !reflect.DeepEqual(p.Args, []string{"/e", "top"}) || !slices.Contains(p.Env, "TERM=xterm") {
				t.Errorf("process = %+v", p)
			}
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.spec
			s.Image = "busybox"
			opts := tc.opts
			opts.ID = id
			opts.Rootfs = rootfs
			if opts.Image.Cmd == nil && opts.Image.Entrypoint == nil {
				opts.Image.Cmd = []string{"sh"}
			}
			spec, err := s.ToOCI(context.Background(), opts)
			if tc.errStr != "" {
				if !errors.Is(err, errdefs.ErrInvalidArg) || err.Error() != tc.errStr {
					t.Fatalf("ToOCI error = %v, want %q (ErrInvalidArg)", err, tc.errStr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, spec)
		})
	}
}

func TestToOCIRootfsEscape(t *testing.T) {
	// An image's /etc/passwd symlinked to an absolute path must resolve
	// inside the rootfs, never to the host's file.
	hostPasswd := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(hostPasswd, []byte("hostonly:x:4242:4242::/:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rootfs := t.TempDir()
	if err := os.MkdirAll(filepath.Join(rootfs, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(hostPasswd, filepath.Join(rootfs, "etc/passwd")); err != nil {
		t.Fatal(err)
	}
	s := SpecGenerator{Image: "x", User: "hostonly", Command: []string{"true"}}
	spec, err := s.ToOCI(context.Background(), GenerateOptions{ID: "abc", Rootfs: rootfs})
	if !errors.Is(err, errdefs.ErrInvalidArg) {
		t.Fatalf("ToOCI resolved a user through a symlink to the host: spec %v, err = %v", spec != nil, err)
	}
}
