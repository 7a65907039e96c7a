package specgen

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	units "github.com/docker/go-units"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// ResourceConfig holds the container's cgroup limits and rlimits (--memory,
// --cpus, --pids-limit, --ulimit, ...; Docker's HostConfig.Resources). It
// is embedded in SpecGenerator. Zero means "not set" for every limit.
type ResourceConfig struct {
	// Memory is the memory limit in bytes.
	Memory int64 `json:"memory,omitempty"`
	// MemorySwap is memory plus swap in bytes; -1 means unlimited swap.
	MemorySwap int64 `json:"memory_swap,omitempty"`
	// MemoryReservation is the soft memory limit in bytes.
	MemoryReservation int64 `json:"memory_reservation,omitempty"`
	// NanoCPUs is the CPU quota in billionths of a CPU (--cpus 1.5 is 1.5e9).
	NanoCPUs int64 `json:"nano_cpus,omitempty"`
	// CPUShares is the relative CPU weight (cgroup v1 shares).
	CPUShares uint64 `json:"cpu_shares,omitempty"`
	// CpusetCpus are the CPUs the container may use ("0-1,3").
	CpusetCpus string `json:"cpuset_cpus,omitempty"`
	// PidsLimit bounds the number of processes; -1 means unlimited.
	PidsLimit int64 `json:"pids_limit,omitempty"`
	// BlkioWeight is the relative block I/O weight, 10 to 1000.
	BlkioWeight uint16 `json:"blkio_weight,omitempty"`
	// Ulimits are rlimits of the main process.
	Ulimits []Ulimit `json:"ulimits,omitempty"`
}

// Ulimit is one rlimit, by Docker's name ("nofile", "nproc", ...).
type Ulimit struct {
	Name string `json:"name"`
	Soft int64  `json:"soft"`
	Hard int64  `json:"hard"`
}

// cpuPeriod is the CFS period --cpus is expressed in, as Docker's.
const cpuPeriod = 100000

// ParseUlimit parses name=soft[:hard] (go-units, Docker's parser).
func ParseUlimit(v string) (Ulimit, error) {
	u, err := units.ParseUlimit(v)
	if err != nil {
		return Ulimit{}, invalidf("invalid --ulimit %s: %v", quoteShort(v), err)
	}
	return Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard}, nil
}

// HasCgroupLimits reports whether any limit needs a cgroup.
func (r *ResourceConfig) HasCgroupLimits() bool {
	return r.Memory != 0 || r.MemorySwap != 0 || r.MemoryReservation != 0 || r.NanoCPUs != 0 ||
		r.CPUShares != 0 || r.CpusetCpus != "" || r.PidsLimit != 0 || r.BlkioWeight != 0
}

// firstCgroupFlag names the first limit set, for the error that says it
// cannot be applied.
func (r *ResourceConfig) firstCgroupFlag() string {
	for _, f := range []struct {
		set  bool
		name string
	}{
		{r.Memory != 0, "--memory"}, {r.MemorySwap != 0, "--memory-swap"},
		{r.MemoryReservation != 0, "--memory-reservation"}, {r.NanoCPUs != 0, "--cpus"},
		{r.CPUShares != 0, "--cpu-shares"}, {r.CpusetCpus != "", "--cpuset-cpus"},
		{r.PidsLimit != 0, "--pids-limit"}, {r.BlkioWeight != 0, "--blkio-weight"},
	} {
		if f.set {
			return f.name
		}
	}
	return ""
}

// ErrNoCgroups is the class of the error a limit gets where the caller has
// no cgroups to apply it with (rootless on cgroup v1).
var ErrNoCgroups = errors.New("resource limits need cgroups, which rootless containers on a cgroup v1 host do not have; run as root or on a cgroup v2 host with delegation")

// CgroupsError is the one-line refusal of a limit that cannot be applied.
func CgroupsError(flag string) error {
	return fmt.Errorf("%s: %w: %w", flag, ErrNoCgroups, errdefs.ErrInvalidArg)
}

func (r *ResourceConfig) validateResources() error {
	switch {
	case r.Memory < 0 || r.MemoryReservation < 0:
		return invalidf("invalid memory limit: must not be negative")
	case r.Memory != 0 && r.Memory < 6<<20:
		return invalidf("invalid --memory %d: the minimum allowed is 6MB", r.Memory)
	case r.MemorySwap > 0 && r.Memory == 0:
		return invalidf("--memory-swap needs --memory as well")
	case r.MemorySwap > 0 && r.MemorySwap < r.Memory:
		return invalidf("--memory-swap %d must not be smaller than --memory %d", r.MemorySwap, r.Memory)
	case r.Memory != 0 && r.MemoryReservation > r.Memory:
		return invalidf("--memory-reservation %d must not be larger than --memory %d", r.MemoryReservation, r.Memory)
	case r.NanoCPUs < 0:
		return invalidf("invalid --cpus: must not be negative")
	case r.BlkioWeight != 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000):
		return invalidf("invalid --blkio-weight %d: must be between 10 and 1000", r.BlkioWeight)
	}
	for _, u := range r.Ulimits {
		if _, err := rlimitName(u.Name); err != nil {
			return err
		}
		if u.Soft > u.Hard && u.Hard >= 0 {
			return invalidf("ulimit %s: soft limit %d is larger than the hard limit %d", u.Name, u.Soft, u.Hard)
		}
	}
	return nil
}

// LinuxResources is the OCI form of the cgroup limits (also what `update`
// hands runc).
func (r *ResourceConfig) LinuxResources() *specs.LinuxResources {
	res := &specs.LinuxResources{}
	if r.Memory != 0 || r.MemorySwap != 0 || r.MemoryReservation != 0 {
		res.Memory = &specs.LinuxMemory{}
		if r.Memory != 0 {
			res.Memory.Limit = ptr(r.Memory)
			if r.MemorySwap == 0 {
				// Docker: swap defaults to as much again as memory.
				res.Memory.Swap = ptr(2 * r.Memory)
			}
		}
		if r.MemorySwap != 0 {
			res.Memory.Swap = ptr(r.MemorySwap)
		}
		if r.MemoryReservation != 0 {
			res.Memory.Reservation = ptr(r.MemoryReservation)
		}
	}
	if r.NanoCPUs != 0 || r.CPUShares != 0 || r.CpusetCpus != "" {
		res.CPU = &specs.LinuxCPU{Cpus: r.CpusetCpus}
		if r.NanoCPUs != 0 {
			res.CPU.Period = ptr(uint64(cpuPeriod))
			res.CPU.Quota = ptr(r.NanoCPUs * cpuPeriod / 1e9)
		}
		if r.CPUShares != 0 {
			res.CPU.Shares = ptr(r.CPUShares)
		}
	}
	if r.PidsLimit != 0 {
		res.Pids = &specs.LinuxPids{Limit: r.PidsLimit}
	}
	if r.BlkioWeight != 0 {
		res.BlockIO = &specs.LinuxBlockIO{Weight: ptr(r.BlkioWeight)}
	}
	return res
}

func ptr[T any](v T) *T { return &v }

// applyResources puts the limits and rlimits into the spec. Without
// cgroups (rootless on cgroup v1) a limit is refused, naming its flag;
// rootless, an rlimit above the caller's own hard limit is refused too,
// since only CAP_SYS_RESOURCE in the initial namespace could raise it.
func (r *ResourceConfig) applyResources(spec *specs.Spec, opts GenerateOptions) error {
	if r.HasCgroupLimits() {
		if opts.Rootless && !opts.CgroupsAvailable {
			return CgroupsError(r.firstCgroupFlag())
		}
		if spec.Linux.Resources == nil {
			spec.Linux.Resources = &specs.LinuxResources{}
		}
		lr := r.LinuxResources()
		spec.Linux.Resources.Memory, spec.Linux.Resources.CPU = lr.Memory, lr.CPU
		spec.Linux.Resources.Pids, spec.Linux.Resources.BlockIO = lr.Pids, lr.BlockIO
	}
	for _, u := range r.Ulimits {
		typ, err := rlimitName(u.Name)
		if err != nil {
			return err
		}
		if opts.Rootless {
			if err := checkRootlessRlimit(u, typ); err != nil {
				return err
			}
		}
		setRlimit(spec.Process, "RLIMIT_"+strings.ToUpper(u.Name), uint64(u.Hard), uint64(u.Soft))
	}
	return nil
}

func setRlimit(p *specs.Process, typ string, hard, soft uint64) {
	for i := range p.Rlimits {
		if p.Rlimits[i].Type == typ {
			p.Rlimits[i].Hard, p.Rlimits[i].Soft = hard, soft
			return
		}
	}
	p.Rlimits = append(p.Rlimits, specs.POSIXRlimit{Type: typ, Hard: hard, Soft: soft})
}

// rlimits maps Docker's ulimit names to their resource numbers.
var rlimits = map[string]int{
	"core": syscall.RLIMIT_CORE, "cpu": syscall.RLIMIT_CPU, "data": syscall.RLIMIT_DATA,
	"fsize": syscall.RLIMIT_FSIZE, "nofile": syscall.RLIMIT_NOFILE, "stack": syscall.RLIMIT_STACK,
	"as": syscall.RLIMIT_AS, "locks": 10, "memlock": 8, "msgqueue": 12, "nice": 13,
	"nproc": 6, "rss": 5, "rtprio": 14, "rttime": 15, "sigpending": 11,
}

func rlimitName(name string) (int, error) {
	if n, ok := rlimits[name]; ok {
		return n, nil
	}
	return 0, invalidf("invalid ulimit %s: unknown resource", quoteShort(name))
}

func checkRootlessRlimit(u Ulimit, typ int) error {
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(typ, &cur); err != nil {
		return fmt.Errorf("reading %s limit: %w", u.Name, err)
	}
	if cur.Max != unix.RLIM_INFINITY && (u.Hard < 0 || uint64(u.Hard) > cur.Max) {
		return invalidf("--ulimit %s=%d:%d: the hard limit exceeds this user's own hard limit %d, which rootless containers cannot raise", u.Name, u.Soft, u.Hard, cur.Max)
	}
	return nil
}

// HostOptions is what the engine knows about the host a container will run
// on, for the checks Validate cannot make alone.
type HostOptions struct {
	// Rootless and CgroupsAvailable are as in GenerateOptions.
	Rootless, CgroupsAvailable bool
}

// ValidateHost refuses, at create, what this host cannot give the
// container: cgroup limits without cgroups, and rootless rlimits above the
// caller's own hard limits. ToOCI checks the same at start.
func (r *ResourceConfig) ValidateHost(opts HostOptions) error {
	if r.HasCgroupLimits() && opts.Rootless && !opts.CgroupsAvailable {
		return CgroupsError(r.firstCgroupFlag())
	}
	if !opts.Rootless {
		return nil
	}
	for _, u := range r.Ulimits {
		typ, err := rlimitName(u.Name)
		if err != nil {
			return err
		}
		if err := checkRootlessRlimit(u, typ); err != nil {
			return err
		}
	}
	return nil
}
