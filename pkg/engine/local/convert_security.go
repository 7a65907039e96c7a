package local

import (
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// securityHostConfig reports the spec's confinement, host access and
// limits in Docker's shape: SecurityOpt as Docker records it (the profile
// text is not repeated), empty lists rather than null.
func securityHostConfig(s *specgen.SpecGenerator) engine.SecurityHostConfig {
	h := engine.SecurityHostConfig{
		CapAdd: nonNil(s.CapAdd), CapDrop: nonNil(s.CapDrop), GroupAdd: nonNil(s.GroupAdd),
		UsernsMode: s.UsernsMode, Sysctls: s.Sysctls, SecurityOpt: securityOpts(s),
		Devices: []engine.DeviceMapping{}, Ulimits: []engine.Ulimit{},
		MaskedPaths: nonNil(s.Mask), ReadonlyPaths: []string{},
		Memory: s.Memory, MemorySwap: s.MemorySwap, MemoryReservation: s.MemoryReservation,
		NanoCPUs: s.NanoCPUs, CPUShares: int64(s.CPUShares), CpusetCpus: s.CpusetCpus,
		BlkioWeight: s.BlkioWeight,
	}
	if s.MaskedPaths != nil {
		h.MaskedPaths = nonNil(*s.MaskedPaths)
	}
	if s.ReadonlyPaths != nil {
		h.ReadonlyPaths = nonNil(*s.ReadonlyPaths)
	}
	if s.Init {
		h.Init = &s.Init
	}
	if s.PidsLimit != 0 {
		h.PidsLimit = &s.PidsLimit
	}
	for _, d := range s.Devices {
		h.Devices = append(h.Devices, engine.DeviceMapping{PathOnHost: d.PathOnHost, PathInContainer: d.PathInContainer, CgroupPermissions: d.Permissions})
	}
	for _, u := range s.Ulimits {
		h.Ulimits = append(h.Ulimits, engine.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	return h
}

// securityOpts lists the --security-opt values in effect, as Docker's
// inspect shows them.
func securityOpts(s *specgen.SpecGenerator) []string {
	out := []string{}
	switch s.SeccompProfile {
	case "":
	case specgen.SeccompUnconfined:
		out = append(out, "seccomp=unconfined")
	default:
		out = append(out, "seccomp=<custom profile>")
	}
	if s.NoNewPrivileges {
		out = append(out, "no-new-privileges")
	}
	if s.LabelDisable {
		out = append(out, "label=disable")
	}
	for _, p := range s.Unmask {
		out = append(out, "unmask="+p)
	}
	return out
}
