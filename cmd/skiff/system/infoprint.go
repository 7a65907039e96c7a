package system

import (
	"fmt"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// printInfo prints info as Podman's plain info does: indented key: value.
func printInfo(i *engine.Info) {
	h, s := i.Host, i.Store
	fmt.Printf("host:\n  arch: %s\n  os: %s\n  kernel: %s\n  hostname: %s\n", h.Arch, h.OS, h.Kernel, h.Hostname)
	fmt.Printf("  cgroupVersion: %s\n  cgroupsUsable: %t\n  cpus: %d\n  memTotal: %d\n", h.CgroupVersion, h.CgroupsUsable, h.CPUs, h.MemTotal)
	fmt.Printf("  ociRuntime:\n    name: %s\n    path: %s\n    version: %s\n", h.OCIRuntime.Name, h.OCIRuntime.Path, h.OCIRuntime.Version)
	fmt.Printf("  conmon:\n    path: %s\n", h.Conmon.Path)
	fmt.Printf("  rootless: %t\n  runtimeDir: %s\n", h.Rootless, h.RuntimeDir)
	if h.PausePID > 0 {
		fmt.Printf("  pausePid: %d\n", h.PausePID)
	}
	fmt.Printf("  signaturePolicy: %s\n", h.SignaturePolicy)
	n := h.Network
	fmt.Printf("  network:\n    backend: %s\n    backendInfo:\n      path: %s\n      version: %s\n    defaultMode: %s\n",
		n.Backend, n.BackendInfo.Path, n.BackendInfo.Version, n.DefaultMode)
	if n.RootlessNetworkCmd != "" {
		fmt.Printf("    rootlessNetworkCmd: %s\n    rootlessNetworkBin:\n      path: %s\n      version: %s\n",
			n.RootlessNetworkCmd, n.RootlessNetworkBin.Path, n.RootlessNetworkBin.Version)
	}
	fmt.Printf("    portForwarder: %s\n", n.PortForwarder)
	fmt.Println("  idMappings:\n    uidmap:")
	for _, m := range h.IDMappings.UIDMap {
		fmt.Printf("    - container_id: %d\n      host_id: %d\n      size: %d\n", m.ContainerID, m.HostID, m.Size)
	}
	fmt.Println("    gidmap:")
	for _, m := range h.IDMappings.GIDMap {
		fmt.Printf("    - container_id: %d\n      host_id: %d\n      size: %d\n", m.ContainerID, m.HostID, m.Size)
	}
	fmt.Printf("store:\n  graphDriverName: %s\n  graphRoot: %s\n  runRoot: %s\n  databasePath: %s\n", s.GraphDriverName, s.GraphRoot, s.RunRoot, s.DatabasePath)
	if len(s.GraphOptions) > 0 {
		fmt.Println("  graphOptions:")
		for k, v := range s.GraphOptions {
			fmt.Printf("    %s: %s\n", k, v)
		}
	}
	fmt.Printf("  imageStore:\n    number: %d\n  containerStore:\n    number: %d\n    paused: %d\n    running: %d\n    stopped: %d\n", s.ImageCount, s.ContainerCount, s.Paused, s.Running, s.Stopped)
	v := i.Version
	fmt.Printf("version:\n  Version: %s\n  APIVersion: %s\n  GoVersion: %s\n  OsArch: %s\n", v.Version, v.APIVersion, v.GoVersion, v.OsArch)
}
