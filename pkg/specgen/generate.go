package specgen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/opencontainers/runtime-tools/generate"
)

// GenerateOptions is what the engine knows at start time and the spec
// generator does not.
type GenerateOptions struct {
	// ID is the container's full ID; the default hostname is its first 12
	// characters.
	ID string
	// Rootfs is the mounted root filesystem, also read to resolve the user.
	Rootfs string
	// Image is the image's configuration.
	Image ImageConfig
	// Rootless shapes the spec for runc running as uid 0 inside skiff's
	// user namespace.
	Rootless bool
	// CgroupsAvailable says the caller can manage cgroups; rootless without
	// it the spec carries no resources at all.
	CgroupsAvailable bool
	// HostsFile, ResolvConf and HostnameFile are files the engine prepared;
	// each is bind-mounted over its /etc counterpart when non-empty, unless
	// the user bind-mounts something there.
	HostsFile, ResolvConf, HostnameFile string
	// NetNSPath is the network namespace to join (one the engine set up,
	// another container's, or --network ns:<path>); empty with
	// --network none means a fresh one holding only lo.
	NetNSPath string
}

// defaultCapabilities is Docker's default capability set.
var defaultCapabilities = []string{
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_FSETID",
	"CAP_FOWNER",
	"CAP_MKNOD",
	"CAP_NET_RAW",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETFCAP",
	"CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT",
	"CAP_KILL",
	"CAP_AUDIT_WRITE",
}

// maskedPaths and readonlyPaths are Docker's defaults.
var (
	maskedPaths = []string{
		"/proc/asound",
		"/proc/acpi",
		"/proc/interrupts",
		"/proc/kcore",
		"/proc/keys",
		"/proc/latency_stats",
		"/proc/timer_list",
		"/proc/timer_stats",
		"/proc/sched_debug",
		"/proc/scsi",
		"/sys/firmware",
		"/sys/devices/virtual/powercap",
	}
	readonlyPaths = []string{
		"/proc/bus",
		"/proc/fs",
		"/proc/irq",
		"/proc/sys",
		"/proc/sysrq-trigger",
	}
)

// ToOCI validates the spec and derives the OCI runtime spec runc runs. The
// rootfs in opts must be mounted: the user is resolved inside it.
func (s *SpecGenerator) ToOCI(ctx context.Context, opts GenerateOptions) (*specs.Spec, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Rootfs == "" {
		return nil, fmt.Errorf("generating spec: no rootfs given")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	g, err := generate.New("linux")
	if err != nil {
		return nil, fmt.Errorf("generating spec: %w", err)
	}
	g.SetRootPath(opts.Rootfs)
	g.SetRootReadonly(false)

	hostname, err := s.hostname(opts.ID)
	if err != nil {
		return nil, err
	}
	g.SetHostname(hostname)

	if err := s.setProcess(&g, opts, hostname); err != nil {
		return nil, err
	}
	if err := s.setNamespaces(&g, opts); err != nil {
		return nil, err
	}
	if err := s.setMounts(&g, opts); err != nil {
		return nil, err
	}
	setLinux(&g, opts)
	if err := s.applyConfinement(g.Config, opts); err != nil {
		return nil, err
	}
	return g.Config, nil
}

// hostname is the user's, else the host's with host networking (as Docker
// does), else the short ID.
func (s *SpecGenerator) hostname(id string) (string, error) {
	switch {
	case s.Hostname != "":
		return s.Hostname, nil
	case s.networkKind() == NetworkHost:
		h, err := os.Hostname()
		if err != nil {
			return "", fmt.Errorf("reading host name: %w", err)
		}
		return h, nil
	case len(id) > 12:
		return id[:12], nil
	}
	return id, nil
}

func (s *SpecGenerator) setProcess(g *generate.Generator, opts GenerateOptions, hostname string) error {
	args, err := s.ResolveArgs(opts.Image)
	if err != nil {
		return err
	}
	g.SetProcessArgs(args)
	g.SetProcessTerminal(s.Terminal)
	if s.Terminal && s.ConsoleSize != nil {
		g.SetProcessConsoleSize(s.ConsoleSize.Width, s.ConsoleSize.Height)
	}
	g.SetProcessCwd(s.ResolveWorkDir(opts.Image))

	userSpec := s.User
	if userSpec == "" {
		userSpec = opts.Image.User
	}
	u, err := resolveUser(opts.Rootfs, userSpec)
	if err != nil {
		return err
	}
	g.SetProcessUID(uint32(u.Uid))
	g.SetProcessGID(uint32(u.Gid))
	g.ClearProcessAdditionalGids()
	for _, gid := range u.Sgids {
		if gid != u.Gid {
			g.AddProcessAdditionalGid(uint32(gid))
		}
	}

	env := s.ResolveEnv(opts.Image, hostname)
	if !hasEnv(env, "HOME") && u.Home != "" {
		env = append(env, "HOME="+u.Home)
	}
	// Set directly: runtime-tools' env cache is keyed by whole entries and
	// would not replace its own PATH and TERM defaults.
	g.Config.Process.Env = env

	g.Config.Process.Capabilities = &specs.LinuxCapabilities{
		Bounding:  append([]string(nil), defaultCapabilities...),
		Effective: append([]string(nil), defaultCapabilities...),
		Permitted: append([]string(nil), defaultCapabilities...),
	}

	nofile, err := nofileLimit()
	if err != nil {
		return err
	}
	g.ClearProcessRlimits()
	g.AddProcessRlimits("RLIMIT_NOFILE", nofile, nofile)
	return nil
}

// setNamespaces keeps runtime-tools' private pid, ipc, uts and mount
// namespaces; the network namespace is the host's, the one the engine
// prepared, or (--network none) a fresh one runc creates.
func (s *SpecGenerator) setNamespaces(g *generate.Generator, opts GenerateOptions) error {
	switch {
	case s.networkKind() == NetworkHost:
		// RemoveLinuxNamespace only fails on unknown namespace names.
		_ = g.RemoveLinuxNamespace(string(specs.NetworkNamespace))
	case opts.NetNSPath != "":
		if err := g.AddOrReplaceLinuxNamespace(string(specs.NetworkNamespace), opts.NetNSPath); err != nil {
			return fmt.Errorf("generating spec: %w", err)
		}
	}
	return nil
}

// networkKind is the kind of the spec's network mode ("" when invalid or
// the engine's default: Validate refuses the former, and the engine
// resolves the latter at create).
func (s *SpecGenerator) networkKind() string {
	m, _ := ParseNetworkMode(s.NetworkMode)
	return m.Kind
}

// setLinux applies Docker's masked and read-only paths, drops the seccomp
// profile (see doc.go) and shapes cgroups for rootless.
func setLinux(g *generate.Generator, opts GenerateOptions) {
	lx := g.Config.Linux
	lx.Seccomp = nil
	lx.MaskedPaths = append([]string(nil), maskedPaths...)
	// Docker also masks the per-CPU thermal_throttle directories present on
	// the host.
	if matches, err := filepath.Glob("/sys/devices/system/cpu/cpu*/thermal_throttle"); err == nil {
		lx.MaskedPaths = append(lx.MaskedPaths, matches...)
	}
	lx.ReadonlyPaths = append([]string(nil), readonlyPaths...)

	if !opts.Rootless {
		if opts.ID != "" {
			lx.CgroupsPath = "/skiff/" + opts.ID
		}
		return
	}
	lx.CgroupsPath = ""
	if !opts.CgroupsAvailable {
		lx.Resources = nil
		return
	}
	if lx.Resources != nil {
		lx.Resources.Devices = nil
	}
}
