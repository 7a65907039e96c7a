package specgen

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/moby/profiles/seccomp"
	"github.com/moby/sys/capability"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// SecurityConfig is how the container is confined: seccomp, capabilities,
// no_new_privs and the masked and read-only paths (--security-opt,
// --cap-add, --cap-drop, --privileged; Docker's HostConfig fields of the
// same names). It is embedded in SpecGenerator, so its fields sit at the
// top level on the wire and in the state database.
type SecurityConfig struct {
	// SeccompProfile is "" for the default profile, "unconfined" for none,
	// else a profile's JSON text (the CLI reads the file; Docker's API
	// carries the text, as Docker's CLI reads the file too).
	SeccompProfile string `json:"seccomp_profile,omitempty"`
	// NoNewPrivileges sets the process's no_new_privs bit.
	NoNewPrivileges bool `json:"no_new_privileges,omitempty"`
	// Mask adds paths to mask; Unmask removes default masked paths ("ALL"
	// removes every default masked and read-only path).
	Mask   []string `json:"mask,omitempty"`
	Unmask []string `json:"unmask,omitempty"`
	// MaskedPaths and ReadonlyPaths replace the defaults when non-nil
	// (Docker's HostConfig.MaskedPaths and ReadonlyPaths).
	MaskedPaths   *[]string `json:"masked_paths,omitempty"`
	ReadonlyPaths *[]string `json:"readonly_paths,omitempty"`
	// CapAdd and CapDrop change Docker's default capability set; names
	// with or without CAP_, any case, or "all".
	CapAdd  []string `json:"cap_add,omitempty"`
	CapDrop []string `json:"cap_drop,omitempty"`
	// Privileged gives every capability, no seccomp profile, no masked or
	// read-only paths, a writable /sys and the host's devices (those the
	// caller may open, rootless).
	Privileged bool `json:"privileged,omitempty"`
	// LabelDisable records --security-opt label=disable; there is no SELinux
	// support, so it changes nothing.
	LabelDisable bool `json:"label_disable,omitempty"`
}

// SeccompUnconfined turns seccomp off.
const SeccompUnconfined = "unconfined"

// MaxSeccompProfileSize bounds a custom seccomp profile: Docker's default
// profile is about 20 KiB.
const MaxSeccompProfileSize = 1 << 20

// ParseSecurityOpt applies one --security-opt value (Docker's and Podman's
// syntax: seccomp=unconfined|<file>, no-new-privileges[=true|false],
// mask=/a:/b, unmask=ALL|/a:/b, label=disable, systempaths=unconfined).
// With readFiles, a seccomp profile is read from the named file (the CLI);
// without, the value is the profile's text (Docker's API).
func (c *SecurityConfig) ParseSecurityOpt(opt string, readFiles bool) error {
	key, value, hasValue := strings.Cut(opt, "=")
	if !hasValue {
		key, value, hasValue = strings.Cut(opt, ":") // Docker's old syntax
	}
	switch key {
	case "seccomp":
		return c.parseSeccomp(value, readFiles)
	case "no-new-privileges":
		switch value {
		case "", "true":
			c.NoNewPrivileges = true
		case "false":
			c.NoNewPrivileges = false
		default:
			return invalidf("invalid --security-opt %s: want no-new-privileges[=true|false]", quoteShort(opt))
		}
		return nil
	case "mask", "unmask":
		if value == "" {
			return invalidf("invalid --security-opt %s: want %s=/path[:/path...]", quoteShort(opt), key)
		}
		paths := strings.Split(value, ":")
		for _, p := range paths {
			if p != "ALL" && !strings.HasPrefix(p, "/") || p == "ALL" && key == "mask" {
				return invalidf("invalid --security-opt %s: %s is not an absolute path", quoteShort(opt), quoteShort(p))
			}
		}
		if key == "mask" {
			c.Mask = append(c.Mask, paths...)
		} else {
			c.Unmask = append(c.Unmask, paths...)
		}
		return nil
	case "systempaths":
		if value != SeccompUnconfined {
			return invalidf("invalid --security-opt %s: want systempaths=unconfined", quoteShort(opt))
		}
		c.Unmask = append(c.Unmask, "ALL")
		return nil
	case "label":
		if value == "disable" || value == "nested" {
			c.LabelDisable = value == "disable"
			return nil
		}
		return invalidf("invalid --security-opt %s: SELinux labels are not supported, only label=disable", quoteShort(opt))
	case "apparmor":
		if value == SeccompUnconfined {
			return nil
		}
		return invalidf("invalid --security-opt %s: AppArmor is not supported, only apparmor=unconfined", quoteShort(opt))
	}
	return invalidf("invalid --security-opt %s: want seccomp=, no-new-privileges, mask=, unmask=, label=disable or systempaths=unconfined", quoteShort(opt))
}

func (c *SecurityConfig) parseSeccomp(value string, readFiles bool) error {
	switch {
	case value == SeccompUnconfined:
		c.SeccompProfile = SeccompUnconfined
		return nil
	case value == "" || value == "builtin" || value == "default":
		c.SeccompProfile = ""
		return nil
	case !readFiles:
		c.SeccompProfile = value
		return validateSeccompText(value, "seccomp profile")
	}
	st, err := os.Stat(value)
	if err != nil {
		return invalidf("seccomp profile %s: %v", value, err)
	}
	if st.Size() > MaxSeccompProfileSize {
		return invalidf("seccomp profile %s: %d bytes exceeds the limit of %d bytes", value, st.Size(), MaxSeccompProfileSize)
	}
	data, err := os.ReadFile(value)
	if err != nil {
		return invalidf("seccomp profile %s: %v", value, err)
	}
	c.SeccompProfile = string(data)
	return validateSeccompText(c.SeccompProfile, "seccomp profile "+value)
}

// validateSeccompText parses a profile as runc would receive it.
func validateSeccompText(text, what string) error {
	if len(text) > MaxSeccompProfileSize {
		return tooBig(what, len(text), MaxSeccompProfileSize, "a seccomp profile")
	}
	if _, err := seccomp.LoadProfile(text, &specs.Spec{}); err != nil {
		return invalidf("%s: %v", what, err)
	}
	return nil
}

func (c *SecurityConfig) validateSecurity() error {
	if c.SeccompProfile != "" && c.SeccompProfile != SeccompUnconfined {
		if err := validateSeccompText(c.SeccompProfile, "seccomp profile"); err != nil {
			return err
		}
	}
	for _, list := range [][]string{c.CapAdd, c.CapDrop} {
		for _, name := range list {
			if _, err := normalizeCap(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// knownCaps are the capabilities a container may get with --privileged or
// "all": the kernel's, as CAP_ names, less those outside the caller's own
// bounding set (root in a sandbox or a container may lack some, and runc
// fails to apply a capability it cannot keep). Built once: it reads /proc.
var knownCaps = sync.OnceValue(func() []string {
	list, err := capability.ListSupported()
	if err != nil {
		list = capability.ListKnown()
	}
	out := make([]string, 0, len(list))
	for _, c := range list {
		if bound, err := capability.GetBound(c); err == nil && !bound {
			continue
		}
		out = append(out, "CAP_"+strings.ToUpper(c.String()))
	}
	return out
})

// normalizeCap turns "net_admin", "CAP_NET_ADMIN" or "all" into CAP_NET_ADMIN
// or "ALL".
func normalizeCap(name string) (string, error) {
	n := strings.ToUpper(strings.TrimSpace(name))
	if n == "ALL" {
		return n, nil
	}
	if !strings.HasPrefix(n, "CAP_") {
		n = "CAP_" + n
	}
	if !slices.Contains(capability.ListKnown(), capFromName(n)) {
		return "", invalidf("unknown capability %s", quoteShort(name))
	}
	return n, nil
}

func capFromName(n string) capability.Cap {
	for _, c := range capability.ListKnown() {
		if "CAP_"+strings.ToUpper(c.String()) == n {
			return c
		}
	}
	return -1
}

// capabilities is the process's capability set: everything when
// privileged, else Docker's default set with drops applied before adds,
// as Docker does ("--cap-drop all --cap-add chown" keeps only CHOWN).
func (c *SecurityConfig) capabilities() []string {
	if c.Privileged {
		return slices.Clone(knownCaps())
	}
	set := slices.Clone(defaultCapabilities)
	for _, name := range c.CapDrop {
		n, _ := normalizeCap(name)
		if n == "ALL" {
			set = nil
			continue
		}
		set = slices.DeleteFunc(set, func(s string) bool { return s == n })
	}
	for _, name := range c.CapAdd {
		n, _ := normalizeCap(name)
		if n == "ALL" {
			set = slices.Clone(knownCaps())
			continue
		}
		if !slices.Contains(set, n) {
			set = append(set, n)
		}
	}
	return set
}

// applySecurity sets capabilities, no_new_privs, seccomp and the masked and
// read-only paths on a spec whose process and Linux sections are filled.
func (s *SpecGenerator) applySecurity(spec *specs.Spec, opts GenerateOptions) error {
	c := &s.SecurityConfig
	caps := c.capabilities()
	spec.Process.Capabilities = &specs.LinuxCapabilities{
		Bounding: caps, Effective: slices.Clone(caps), Permitted: slices.Clone(caps),
	}
	spec.Process.NoNewPrivileges = c.NoNewPrivileges
	lx := spec.Linux
	switch {
	case c.Privileged || c.SeccompProfile == SeccompUnconfined:
		lx.Seccomp = nil
	case c.SeccompProfile == "":
		p, err := defaultSeccomp(caps)
		if err != nil {
			return err
		}
		lx.Seccomp = p
	default:
		p, err := seccomp.LoadProfile(c.SeccompProfile, spec)
		if err != nil {
			return invalidf("seccomp profile: %v", err)
		}
		lx.Seccomp = p
	}
	c.applyPaths(lx)
	if c.Privileged {
		privilegedMounts(spec)
		return addHostDevices(spec, opts.Rootless)
	}
	return nil
}

// applyPaths reshapes the default masked and read-only paths.
func (c *SecurityConfig) applyPaths(lx *specs.Linux) {
	if c.MaskedPaths != nil {
		lx.MaskedPaths = slices.Clone(*c.MaskedPaths)
	}
	if c.ReadonlyPaths != nil {
		lx.ReadonlyPaths = slices.Clone(*c.ReadonlyPaths)
	}
	if c.Privileged || slices.Contains(c.Unmask, "ALL") {
		lx.MaskedPaths, lx.ReadonlyPaths = nil, nil
	}
	for _, p := range c.Unmask {
		lx.MaskedPaths = slices.DeleteFunc(lx.MaskedPaths, func(m string) bool { return m == p })
		lx.ReadonlyPaths = slices.DeleteFunc(lx.ReadonlyPaths, func(m string) bool { return m == p })
	}
	for _, p := range c.Mask {
		if !slices.Contains(lx.MaskedPaths, p) {
			lx.MaskedPaths = append(lx.MaskedPaths, p)
		}
	}
}

// privilegedMounts makes /sys and the cgroup mount writable, as Docker does
// for privileged containers.
func privilegedMounts(spec *specs.Spec) {
	for i, m := range spec.Mounts {
		if m.Destination != "/sys" && m.Destination != "/sys/fs/cgroup" {
			continue
		}
		spec.Mounts[i].Options = slices.DeleteFunc(slices.Clone(m.Options), func(o string) bool { return o == "ro" })
	}
}

// seccompCache holds the default profile per capability set: the profile
// depends on the bounding set (CAP_SYS_ADMIN allows more calls), and
// building it walks some 400 rules, so a long-running service builds each
// once. The profiles are shared: nothing may modify them (specs are only
// marshalled for runc).
var seccompCache sync.Map // string (joined caps) -> *specs.LinuxSeccomp

// defaultSeccomp is Docker's default seccomp profile (moby/profiles) for
// the given capability set.
func defaultSeccomp(caps []string) (*specs.LinuxSeccomp, error) {
	key := strings.Join(caps, ",")
	if p, ok := seccompCache.Load(key); ok {
		return p.(*specs.LinuxSeccomp), nil
	}
	p, err := seccomp.GetDefaultProfile(&specs.Spec{Process: &specs.Process{
		Capabilities: &specs.LinuxCapabilities{Bounding: caps},
	}})
	if err != nil {
		return nil, fmt.Errorf("building the default seccomp profile: %w", err)
	}
	seccompCache.Store(key, p)
	return p, nil
}
