package libpod

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// Update changes a container's resource limits: the non-zero fields of res
// replace the recorded ones, the runtime applies them to a container that
// has a process (runc update), and the configuration is saved so the next
// start uses them. Limits this host cannot apply are refused first.
func (r *Runtime) Update(ctx context.Context, c *Container, res specgen.ResourceConfig) error {
	unlock, err := r.lockFresh(ctx, c)
	if err != nil {
		return err
	}
	defer unlock()
	spec := c.Config.Spec
	mergeResources(&spec.ResourceConfig, res)
	if err := spec.Validate(); err != nil {
		return err
	}
	if err := spec.ValidateHost(r.hostOptions()); err != nil {
		return err
	}
	if c.State.Status.Up() {
		rt, err := r.OCI(ctx)
		if err != nil {
			return err
		}
		if err := rt.UpdateContainer(ctx, c.ID, r.bundleDir(c.ID), spec.LinuxResources()); err != nil {
			return fmt.Errorf("updating container %s: %w", c.Name, err)
		}
	}
	c.Config.Spec = spec
	raw, err := json.Marshal(c.Config)
	if err != nil {
		return err
	}
	if err := r.db.UpdateContainerConfig(ctx, c.ID, raw); err != nil {
		return err
	}
	r.recordEvent(ctx, c, "update", nil)
	return nil
}

// mergeResources sets the limits given in upd (non-zero) on cur.
func mergeResources(cur *specgen.ResourceConfig, upd specgen.ResourceConfig) {
	set := func(dst *int64, v int64) {
		if v != 0 {
			*dst = v
		}
	}
	set(&cur.Memory, upd.Memory)
	set(&cur.MemorySwap, upd.MemorySwap)
	set(&cur.MemoryReservation, upd.MemoryReservation)
	set(&cur.NanoCPUs, upd.NanoCPUs)
	set(&cur.PidsLimit, upd.PidsLimit)
	if upd.CPUShares != 0 {
		cur.CPUShares = upd.CPUShares
	}
	if upd.CpusetCpus != "" {
		cur.CpusetCpus = upd.CpusetCpus
	}
	if upd.BlkioWeight != 0 {
		cur.BlkioWeight = upd.BlkioWeight
	}
}
