package local

import (
	"slices"

	"github.com/skiffcontainers/skiff/libpod"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// volumeMountPoints are a container's volumes and tmpfs mounts in
// Docker's inspect shape (Type volume with Name and Driver; Type tmpfs).
func volumeMountPoints(c *libpod.Container) []engine.MountPoint {
	var out []engine.MountPoint
	for _, v := range c.Config.Spec.Volumes {
		mode := "z"
		if v.ReadOnly {
			mode = "ro"
		}
		propagation := ""
		for _, o := range v.Options {
			if slices.Contains([]string{"shared", "rshared", "slave", "rslave", "private", "rprivate"}, o) {
				propagation = o
			}
		}
		out = append(out, engine.MountPoint{
			Type: "volume", Name: v.Name, Source: v.Source, Destination: v.Destination,
			Driver: libpod.LocalDriver, Mode: mode, RW: !v.ReadOnly, Propagation: propagation,
		})
	}
	for _, t := range c.Config.Spec.Tmpfs {
		out = append(out, engine.MountPoint{
			Type: "tmpfs", Destination: t.Destination, RW: !slices.Contains(t.Options, "ro"),
		})
	}
	return out
}
