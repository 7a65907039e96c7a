package oci

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// PauseContainer freezes every process of the container (`runtime pause`).
// A container that is not running, or already paused, yields an error
// wrapping errdefs.ErrCtrNotRunning (runc words both "container not
// running").
func (r *Runtime) PauseContainer(ctx context.Context, id string) error {
	_, err := r.run(ctx, "pause", id)
	return err
}

// ResumeContainer thaws a paused container (`runtime resume`). A container
// that is not paused yields an error wrapping errdefs.ErrCtrStateInvalid;
// one that is gone, errdefs.ErrNoSuchContainer.
func (r *Runtime) ResumeContainer(ctx context.Context, id string) error {
	_, err := r.run(ctx, "resume", id)
	return err
}

// NoFreezerError says why a container cannot be frozen; Reason is a
// sentence fragment callers put after their own context.
type NoFreezerError struct{ Reason string }

func (e *NoFreezerError) Error() string { return e.Reason }

var (
	errRootlessV1 = &NoFreezerError{Reason: "rootless containers on a cgroup v1 host have no freezer cgroup"}
	errNoFreezer  = &NoFreezerError{Reason: "the container has no freezer cgroup"}
)

// FreezerOptions describe the host for Freezer.
type FreezerOptions struct {
	// Rootless is set when the engine runs in a user namespace; it matters
	// only when the runtime's state is not one Freezer can read.
	Rootless bool
	// CgroupRoot is where the cgroup file systems are mounted
	// (default /sys/fs/cgroup).
	CgroupRoot string
}

// Freezer checks that container id can be frozen, without changing
// anything: it returns nil, or a *NoFreezerError.
//
// The probe is the runtime's own record of the container's cgroups (runc's
// state.json, "cgroup_paths"): on a cgroup v2 host the unified cgroup must
// have a cgroup.freeze file, elsewhere the v1 freezer directory must exist.
// A rootless container on a cgroup v1 host has neither: runc records the
// paths it wanted but could not create them, and `runc pause` would then fail
// with "cgroups not configured for container". A runtime whose state is not
// readable this way (crun) is judged by the host: rootless without the cgroup
// v2 unified hierarchy at CgroupRoot has no freezer.
func (r *Runtime) Freezer(id string, opts FreezerOptions) error {
	root := opts.CgroupRoot
	if root == "" {
		root = "/sys/fs/cgroup"
	}
	unified := isCgroup2(root)
	if paths, err := r.cgroupPaths(id); err == nil {
		if hasFreezer(paths, unified) {
			return nil
		}
	} else if !opts.Rootless || unified {
		return nil // nothing to read: the runtime itself will tell
	}
	if opts.Rootless && !unified {
		return errRootlessV1
	}
	return errNoFreezer
}

// hasFreezer tells whether the recorded cgroups include a usable freezer:
// cgroup.freeze in the unified cgroup on a v2 host, the v1 freezer
// directory elsewhere (runc uses the v2 freezer only on a v2 host).
func hasFreezer(paths map[string]string, unified bool) bool {
	if unified {
		p := paths[""]
		return p != "" && exists(filepath.Join(p, "cgroup.freeze"))
	}
	p := paths["freezer"]
	return p != "" && exists(p)
}

// cgroupPaths reads the cgroup paths runc recorded for container id, keyed
// by controller ("" is the cgroup v2 unified hierarchy).
func (r *Runtime) cgroupPaths(id string) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(r.Root, id, "state.json"))
	if err != nil {
		return nil, err
	}
	var st struct {
		CgroupPaths map[string]string `json:"cgroup_paths"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("reading the runtime state of %s: %w", id, err)
	}
	if st.CgroupPaths == nil {
		return nil, fmt.Errorf("the runtime state of %s names no cgroups: %w", id, fs.ErrNotExist)
	}
	return st.CgroupPaths, nil
}

func isCgroup2(path string) bool {
	var st unix.Statfs_t
	return unix.Statfs(path, &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
