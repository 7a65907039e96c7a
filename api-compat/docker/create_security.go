package docker

import (
	"fmt"

	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// securityHostConfig are the HostConfig fields of confinement, host access
// and resources that securityFromHostConfig translates. They join
// supportedHostConfig at init so that create.go's table stays the one
// place unsupportedFields reads.
var securityHostConfig = []string{
	"CapAdd", "CapDrop", "Privileged", "SecurityOpt", "Ulimits", "Sysctls", "Devices", "Init",
	"GroupAdd", "UsernsMode", "Memory", "MemorySwap", "MemoryReservation", "NanoCPUs", "CPUShares",
	"CpusetCpus", "PidsLimit", "BlkioWeight", "ReadonlyPaths", "MaskedPaths",
}

func init() {
	for _, f := range securityHostConfig {
		supportedHostConfig[f] = true
	}
}

// securityFromHostConfig puts Docker's confinement, host-access and
// resource fields into s. SecurityOpt's seccomp= carries the profile's
// text (Docker's CLI reads the file), never a path on this host.
func securityFromHostConfig(hc *container.HostConfig, s *specgen.SpecGenerator) error {
	for i, o := range hc.SecurityOpt {
		if err := s.SecurityConfig.ParseSecurityOpt(o, false); err != nil {
			return fmt.Errorf("HostConfig.SecurityOpt[%d]: %w", i, err)
		}
	}
	s.CapAdd, s.CapDrop, s.Privileged = nilIfEmpty(hc.CapAdd), nilIfEmpty(hc.CapDrop), hc.Privileged
	if hc.MaskedPaths != nil {
		p := append([]string{}, hc.MaskedPaths...)
		s.MaskedPaths = &p
	}
	if hc.ReadonlyPaths != nil {
		p := append([]string{}, hc.ReadonlyPaths...)
		s.ReadonlyPaths = &p
	}
	s.GroupAdd, s.UsernsMode = nilIfEmpty(hc.GroupAdd), string(hc.UsernsMode)
	if len(hc.Sysctls) > 0 {
		s.Sysctls = hc.Sysctls
	}
	if hc.Init != nil {
		s.Init = *hc.Init
	}
	for i, d := range hc.Devices {
		perms := d.CgroupPermissions
		if perms == "" {
			perms = "rwm"
		}
		dev, err := specgen.ParseDevice(d.PathOnHost + ":" + firstNonEmpty(d.PathInContainer, d.PathOnHost) + ":" + perms)
		if err != nil {
			return fmt.Errorf("HostConfig.Devices[%d]: %w", i, err)
		}
		s.Devices = append(s.Devices, dev)
	}
	for _, u := range hc.Ulimits {
		if u != nil {
			s.Ulimits = append(s.Ulimits, specgen.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
		}
	}
	return resourcesFromDocker(hc.Resources, &s.ResourceConfig)
}

// resourcesFromDocker translates Docker's Resources (create and update).
func resourcesFromDocker(r container.Resources, out *specgen.ResourceConfig) error {
	if r.CPUShares < 0 {
		return invalid("HostConfig.CpuShares %d must not be negative", r.CPUShares)
	}
	out.Memory, out.MemorySwap, out.MemoryReservation = r.Memory, r.MemorySwap, r.MemoryReservation
	out.NanoCPUs, out.CPUShares, out.CpusetCpus = r.NanoCPUs, uint64(r.CPUShares), r.CpusetCpus
	out.BlkioWeight = r.BlkioWeight
	if r.PidsLimit != nil && *r.PidsLimit != 0 {
		// Docker: 0 and -1 both mean unlimited.
		out.PidsLimit = *r.PidsLimit
		if out.PidsLimit < 0 {
			out.PidsLimit = 0
		}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
