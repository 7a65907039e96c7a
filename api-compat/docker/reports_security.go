package docker

import (
	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// setSecurityHostConfig copies the confinement, host-access and resource
// fields of an engine report into Docker's HostConfig.
func setSecurityHostConfig(hc *container.HostConfig, h engine.SecurityHostConfig) {
	hc.CapAdd, hc.CapDrop, hc.SecurityOpt, hc.GroupAdd = h.CapAdd, h.CapDrop, h.SecurityOpt, h.GroupAdd
	hc.UsernsMode, hc.Sysctls, hc.Init = container.UsernsMode(h.UsernsMode), h.Sysctls, h.Init
	hc.MaskedPaths, hc.ReadonlyPaths = h.MaskedPaths, h.ReadonlyPaths
	hc.Memory, hc.MemorySwap, hc.MemoryReservation = h.Memory, h.MemorySwap, h.MemoryReservation
	hc.NanoCPUs, hc.CPUShares, hc.CpusetCpus = h.NanoCPUs, h.CPUShares, h.CpusetCpus
	hc.PidsLimit, hc.BlkioWeight = h.PidsLimit, h.BlkioWeight
	hc.Devices = []container.DeviceMapping{}
	for _, d := range h.Devices {
		hc.Devices = append(hc.Devices, container.DeviceMapping{PathOnHost: d.PathOnHost, PathInContainer: d.PathInContainer, CgroupPermissions: d.CgroupPermissions})
	}
	hc.Ulimits = []*container.Ulimit{}
	for _, u := range h.Ulimits {
		hc.Ulimits = append(hc.Ulimits, &container.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
}
