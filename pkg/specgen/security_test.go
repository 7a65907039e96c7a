package specgen

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestParseSecurityOpt(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "p.json")
	if err := os.WriteFile(good, []byte(`{"defaultAction":"SCMP_ACT_ALLOW"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		opt     string
		files   bool
		want    SecurityConfig
		wantErr string
	}{
		{opt: "seccomp=unconfined", want: SecurityConfig{SeccompProfile: "unconfined"}},
		{opt: "seccomp:unconfined", want: SecurityConfig{SeccompProfile: "unconfined"}},
		{opt: "seccomp=" + good, files: true, want: SecurityConfig{SeccompProfile: `{"defaultAction":"SCMP_ACT_ALLOW"}`}},
		{opt: "seccomp=" + bad, files: true, wantErr: "seccomp profile " + bad},
		{opt: "seccomp=/nonexistent.json", files: true, wantErr: "seccomp profile /nonexistent.json"},
		{opt: `seccomp={"defaultAction":"SCMP_ACT_ALLOW"}`, want: SecurityConfig{SeccompProfile: `{"defaultAction":"SCMP_ACT_ALLOW"}`}},
		{opt: "no-new-privileges", want: SecurityConfig{NoNewPrivileges: true}},
		{opt: "no-new-privileges:true", want: SecurityConfig{NoNewPrivileges: true}},
		{opt: "no-new-privileges=maybe", wantErr: "want no-new-privileges"},
		{opt: "mask=/a:/b", want: SecurityConfig{Mask: []string{"/a", "/b"}}},
		{opt: "mask=rel", wantErr: "not an absolute path"},
		{opt: "unmask=ALL", want: SecurityConfig{Unmask: []string{"ALL"}}},
		{opt: "systempaths=unconfined", want: SecurityConfig{Unmask: []string{"ALL"}}},
		{opt: "label=disable", want: SecurityConfig{LabelDisable: true}},
		{opt: "label=type:x", wantErr: "SELinux labels are not supported"},
		{opt: "apparmor=unconfined"},
		{opt: "bogus", wantErr: "invalid --security-opt"},
	}
	for _, tt := range tests {
		t.Run(tt.opt, func(t *testing.T) {
			var c SecurityConfig
			err := c.ParseSecurityOpt(tt.opt, tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, tt.want) {
				t.Errorf("got %+v, want %+v", c, tt.want)
			}
		})
	}
}

func TestCapabilities(t *testing.T) {
	tests := []struct {
		name       string
		c          SecurityConfig
		has, lacks []string
		count      int
	}{
		{name: "default", count: len(defaultCapabilities)},
		{name: "drop all", c: SecurityConfig{CapDrop: []string{"all"}}, count: 0},
		{name: "drop all add one", c: SecurityConfig{CapDrop: []string{"ALL"}, CapAdd: []string{"chown"}}, has: []string{"CAP_CHOWN"}, count: 1},
		{name: "add with prefix", c: SecurityConfig{CapAdd: []string{"CAP_NET_ADMIN"}}, has: []string{"CAP_NET_ADMIN"}, count: len(defaultCapabilities) + 1},
		{name: "drop one", c: SecurityConfig{CapDrop: []string{"net_raw"}}, lacks: []string{"CAP_NET_RAW"}, count: len(defaultCapabilities) - 1},
		{name: "privileged", c: SecurityConfig{Privileged: true}, count: len(knownCaps())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.capabilities()
			if len(got) != tt.count {
				t.Errorf("%d capabilities, want %d: %v", len(got), tt.count, got)
			}
			for _, c := range tt.has {
				if !slices.Contains(got, c) {
					t.Errorf("missing %s", c)
				}
			}
			for _, c := range tt.lacks {
				if slices.Contains(got, c) {
					t.Errorf("has %s", c)
				}
			}
		})
	}
	if _, err := normalizeCap("nope"); err == nil {
		t.Error("unknown capability accepted")
	}
}

func TestApplyPaths(t *testing.T) {
	lx := &specs.Linux{MaskedPaths: []string{"/proc/kcore", "/proc/keys"}, ReadonlyPaths: []string{"/proc/sys"}}
	c := SecurityConfig{Unmask: []string{"/proc/keys"}, Mask: []string{"/etc/x"}}
	c.applyPaths(lx)
	if !reflect.DeepEqual(lx.MaskedPaths, []string{"/proc/kcore", "/etc/x"}) || len(lx.ReadonlyPaths) != 1 {
		t.Errorf("masked %v readonly %v", lx.MaskedPaths, lx.ReadonlyPaths)
	}
	c = SecurityConfig{Unmask: []string{"ALL"}}
	c.applyPaths(lx)
	if len(lx.MaskedPaths) != 0 || len(lx.ReadonlyPaths) != 0 {
		t.Errorf("unmask=ALL left masked %v readonly %v", lx.MaskedPaths, lx.ReadonlyPaths)
	}
}

func TestDefaultSeccompCached(t *testing.T) {
	a, err := defaultSeccomp(defaultCapabilities)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := defaultSeccomp(defaultCapabilities)
	if a != b {
		t.Error("the profile was built twice for the same capabilities")
	}
	if a.DefaultAction != specs.ActErrno || len(a.Syscalls) == 0 {
		t.Errorf("not Docker's default profile: %+v", a.DefaultAction)
	}
}

func TestParseDevice(t *testing.T) {
	tests := []struct {
		in      string
		want    Device
		wantErr string
	}{
		{in: "/dev/fuse", want: Device{"/dev/fuse", "/dev/fuse", "rwm"}},
		{in: "/dev/fuse:r", want: Device{"/dev/fuse", "/dev/fuse", "r"}},
		{in: "/dev/fuse:/dev/f", want: Device{"/dev/fuse", "/dev/f", "rwm"}},
		{in: "/dev/fuse:/dev/f:rw", want: Device{"/dev/fuse", "/dev/f", "rw"}},
		{in: "/dev/fuse:/dev/f:x", wantErr: "not a subset of rwm"},
		{in: "fuse", wantErr: "paths must be absolute"},
		{in: "/a:/b:r:x", wantErr: "want /dev/host"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDevice(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestValidateIsolation(t *testing.T) {
	tests := []struct {
		name    string
		c       IsolationConfig
		host    bool
		wantErr string
	}{
		{name: "net in private netns", c: IsolationConfig{Sysctls: map[string]string{"net.ipv4.ip_forward": "1"}}},
		{name: "net with host netns", c: IsolationConfig{Sysctls: map[string]string{"net.ipv4.ip_forward": "1"}}, host: true, wantErr: "need a private network namespace"},
		{name: "ipc", c: IsolationConfig{Sysctls: map[string]string{"kernel.shmmax": "1", "fs.mqueue.msg_max": "10"}}},
		{name: "hostname", c: IsolationConfig{Sysctls: map[string]string{"kernel.hostname": "x"}}, wantErr: "use --hostname"},
		{name: "not namespaced", c: IsolationConfig{Sysctls: map[string]string{"vm.swappiness": "1"}}, wantErr: "is not namespaced"},
		{name: "userns host", c: IsolationConfig{UsernsMode: "host"}},
		{name: "userns keep-id", c: IsolationConfig{UsernsMode: "keep-id"}, wantErr: "unsupported --userns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.validateIsolation(tt.host)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestResources(t *testing.T) {
	r := ResourceConfig{Memory: 64 << 20, NanoCPUs: 1.5e9, CPUShares: 512, CpusetCpus: "0", PidsLimit: 5, BlkioWeight: 100}
	lr := r.LinuxResources()
	if *lr.Memory.Limit != 64<<20 || *lr.Memory.Swap != 128<<20 || *lr.CPU.Quota != 150000 || *lr.CPU.Period != 100000 ||
		*lr.CPU.Shares != 512 || lr.CPU.Cpus != "0" || lr.Pids.Limit != 5 || *lr.BlockIO.Weight != 100 {
		t.Errorf("resources = %+v %+v %+v %+v", lr.Memory, lr.CPU, lr.Pids, lr.BlockIO)
	}
	if err := r.ValidateHost(HostOptions{Rootless: true}); err == nil || !strings.Contains(err.Error(), "--memory: resource limits need cgroups") {
		t.Errorf("rootless without cgroups: %v", err)
	}
	if err := r.ValidateHost(HostOptions{Rootless: true, CgroupsAvailable: true}); err != nil {
		t.Errorf("rootless with cgroups: %v", err)
	}
	for _, tt := range []struct {
		r       ResourceConfig
		wantErr string
	}{
		{ResourceConfig{Memory: 1024}, "minimum allowed is 6MB"},
		{ResourceConfig{MemorySwap: 64 << 20}, "--memory-swap needs --memory"},
		{ResourceConfig{Memory: 64 << 20, MemorySwap: 32 << 20}, "must not be smaller"},
		{ResourceConfig{BlkioWeight: 5}, "between 10 and 1000"},
		{ResourceConfig{Ulimits: []Ulimit{{Name: "bogus", Soft: 1, Hard: 1}}}, "unknown resource"},
		{ResourceConfig{Ulimits: []Ulimit{{Name: "nofile", Soft: 10, Hard: 5}}}, "larger than the hard limit"},
	} {
		if err := tt.r.validateResources(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%+v: err = %v, want %q", tt.r, err, tt.wantErr)
		}
	}
	u, err := ParseUlimit("nofile=10:20")
	if err != nil || u != (Ulimit{"nofile", 10, 20}) {
		t.Errorf("ParseUlimit = %+v, %v", u, err)
	}
}
