package specgen

import (
	"os"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// IsolationConfig holds what the container sees of the host besides its
// confinement: extra groups, namespaced sysctls, host devices, an init
// process and the user namespace mode. It is embedded in SpecGenerator.
type IsolationConfig struct {
	// GroupAdd are extra groups of the main process, names (resolved in the
	// container's /etc/group) or numbers.
	GroupAdd []string `json:"group_add,omitempty"`
	// Sysctls are namespaced kernel parameters to set.
	Sysctls map[string]string `json:"sysctls,omitempty"`
	// Devices are host devices to add.
	Devices []Device `json:"devices,omitempty"`
	// Init runs an init (catatonit) as PID 1 that reaps zombies and
	// forwards signals to the command.
	Init bool `json:"init,omitempty"`
	// UsernsMode is the user namespace mode: "" or "host" (skiff's own
	// namespace, rootless; the host's as root).
	UsernsMode string `json:"userns_mode,omitempty"`
}

// InitPath is where the init binary appears in the container.
const InitPath = "/run/skiff-init"

// initCandidates are static init binaries that can be bind-mounted into any
// image: Debian's catatonit (hack/install-deps.sh installs it), Podman's
// location, then tini's static build.
var initCandidates = []string{"/usr/bin/catatonit", "/usr/libexec/podman/catatonit", "/usr/bin/tini-static"}

// ipcSysctls are the IPC namespace's sysctls (Docker's and Podman's list);
// fs.mqueue.* and net.* are matched by prefix.
var ipcSysctls = map[string]bool{
	"kernel.msgmax": true, "kernel.msgmnb": true, "kernel.msgmni": true, "kernel.sem": true,
	"kernel.shmall": true, "kernel.shmmax": true, "kernel.shmmni": true, "kernel.shm_rmid_forced": true,
}

// ParseSysctl splits KEY=VALUE.
func ParseSysctl(v string) (string, string, error) {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return "", "", invalidf("invalid --sysctl %s: want KEY=VALUE", quoteShort(v))
	}
	return k, val, nil
}

func (c *IsolationConfig) validateIsolation(hostNetwork bool) error {
	for k := range c.Sysctls {
		switch {
		case ipcSysctls[k] || strings.HasPrefix(k, "fs.mqueue."), k == "kernel.domainname":
		case strings.HasPrefix(k, "net."):
			if hostNetwork {
				return invalidf("sysctl %s: net.* sysctls need a private network namespace, not --network host", quoteShort(k))
			}
		case k == "kernel.hostname":
			return invalidf("sysctl %s: use --hostname", quoteShort(k))
		default:
			return invalidf("sysctl %s is not namespaced: only kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, kernel.domainname and net.* can be set", quoteShort(k))
		}
	}
	switch c.UsernsMode {
	case "", "host":
	default:
		return invalidf("unsupported --userns %s: only host is supported yet", quoteShort(c.UsernsMode))
	}
	return nil
}

// applyIsolation adds the extra groups, sysctls, devices and the init.
func (s *SpecGenerator) applyIsolation(spec *specs.Spec, opts GenerateOptions) error {
	c := &s.IsolationConfig
	for _, g := range c.GroupAdd {
		gid, err := resolveGroup(opts.Rootfs, g)
		if err != nil {
			return err
		}
		spec.Process.User.AdditionalGids = append(spec.Process.User.AdditionalGids, gid)
	}
	if len(c.Sysctls) > 0 {
		spec.Linux.Sysctl = map[string]string{}
		for k, v := range c.Sysctls {
			spec.Linux.Sysctl[k] = v
		}
	}
	if err := s.applyDevices(spec, opts.Rootless); err != nil {
		return err
	}
	if c.Init {
		return addInit(spec)
	}
	return nil
}

// resolveGroup turns a group name or number into a GID, names through the
// container's /etc/group.
func resolveGroup(rootfs, g string) (uint32, error) {
	if n, err := strconv.ParseUint(g, 10, 32); err == nil {
		return uint32(n), nil
	}
	u, err := resolveUser(rootfs, "0:"+g)
	if err != nil {
		return 0, invalidf("--group-add %s: no such group in the container", quoteShort(g))
	}
	return uint32(u.Gid), nil
}

// addInit bind-mounts a static init at InitPath and makes it PID 1, with
// the command after "--".
func addInit(spec *specs.Spec) error {
	var src string
	for _, p := range initCandidates {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			src = p
			break
		}
	}
	if src == "" {
		return invalidf("--init: no init binary found (looked for %s); install catatonit", strings.Join(initCandidates, ", "))
	}
	spec.Mounts = append(spec.Mounts, specs.Mount{
		Destination: InitPath, Source: src, Type: "bind", Options: []string{"bind", "ro", "nosuid", "nodev"},
	})
	spec.Process.Args = append([]string{InitPath, "--"}, spec.Process.Args...)
	return nil
}

// validateConfinement checks the security, resource and isolation fields.
func (s *SpecGenerator) validateConfinement() error {
	if err := s.validateSecurity(); err != nil {
		return err
	}
	if err := s.validateResources(); err != nil {
		return err
	}
	return s.validateIsolation(s.networkKind() == NetworkHost)
}

// applyConfinement applies the security, resource and isolation fields to
// a spec whose process, mounts and Linux sections are otherwise complete.
func (s *SpecGenerator) applyConfinement(spec *specs.Spec, opts GenerateOptions) error {
	if err := s.applySecurity(spec, opts); err != nil {
		return err
	}
	if err := s.applyResources(spec, opts); err != nil {
		return err
	}
	return s.applyIsolation(spec, opts)
}
