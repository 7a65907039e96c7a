package containers

import (
	"math"
	"strconv"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// securityFlags are the confinement, host-access and resource flags that
// create and run share (and update, for the resource ones).
type securityFlags struct {
	securityOpt []string
	capAdd      []string
	capDrop     []string
	privileged  bool
	userns      string
	groupAdd    []string
	sysctl      []string
	device      []string
	init        bool
	ulimit      []string
	resourceFlags
}

// resourceFlags are the cgroup limits, shared with update.
type resourceFlags struct {
	memory            string
	memorySwap        string
	memoryReservation string
	cpus              float64
	cpuShares         uint64
	cpusetCpus        string
	pidsLimit         int64
	blkioWeight       uint16
}

func (f *securityFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.securityOpt, "security-opt", nil, "security options: seccomp=unconfined|<profile.json>, no-new-privileges, mask=/path[:/path], unmask=ALL|/path[:/path], label=disable")
	fs.StringArrayVar(&f.capAdd, "cap-add", nil, "add a capability (NAME, CAP_NAME or all)")
	fs.StringArrayVar(&f.capDrop, "cap-drop", nil, "drop a capability (NAME, CAP_NAME or all)")
	fs.BoolVar(&f.privileged, "privileged", false, "all capabilities, no seccomp, no masked paths, the host's devices (rootless: those this user may open)")
	fs.StringVar(&f.userns, "userns", "", "user namespace mode (host)")
	fs.StringArrayVar(&f.groupAdd, "group-add", nil, "add a supplementary group (name or GID)")
	fs.StringArrayVar(&f.sysctl, "sysctl", nil, "set a namespaced kernel parameter (KEY=VALUE; net.* needs a private network)")
	fs.StringArrayVar(&f.device, "device", nil, "add a host device (/dev/host[:/dev/container][:rwm])")
	fs.BoolVar(&f.init, "init", false, "run an init (catatonit) as PID 1 that forwards signals and reaps zombies")
	fs.StringArrayVar(&f.ulimit, "ulimit", nil, "set an rlimit (name=soft[:hard])")
	f.resourceFlags.register(fs)
}

func (f *resourceFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.memory, "memory", "m", "", "memory limit (e.g. 64m, 1g)")
	fs.StringVar(&f.memorySwap, "memory-swap", "", "memory plus swap limit (-1: unlimited swap)")
	fs.StringVar(&f.memoryReservation, "memory-reservation", "", "memory soft limit")
	fs.Float64Var(&f.cpus, "cpus", 0, "number of CPUs (e.g. 1.5)")
	fs.Uint64VarP(&f.cpuShares, "cpu-shares", "c", 0, "relative CPU weight")
	fs.StringVar(&f.cpusetCpus, "cpuset-cpus", "", "CPUs the container may use (0-3, 0,1)")
	fs.Int64Var(&f.pidsLimit, "pids-limit", 0, "maximum number of processes (-1: unlimited)")
	fs.Uint16Var(&f.blkioWeight, "blkio-weight", 0, "relative block I/O weight (10 to 1000)")
}

func (f *securityFlags) groupFlags(cmd *cobra.Command) {
	command.GroupFlags(cmd, "Security", "security-opt", "cap-add", "cap-drop", "privileged", "userns",
		"group-add", "sysctl", "device", "init")
	command.GroupFlags(cmd, "Resources", "memory", "memory-swap", "memory-reservation", "cpus", "cpu-shares",
		"cpuset-cpus", "pids-limit", "blkio-weight", "ulimit")
}

// securitySpec puts the flags into s.
func (f *securityFlags) securitySpec(s *specgen.SpecGenerator) error {
	for _, o := range f.securityOpt {
		if err := s.SecurityConfig.ParseSecurityOpt(o, true); err != nil {
			return err
		}
	}
	s.CapAdd, s.CapDrop, s.Privileged = f.capAdd, f.capDrop, f.privileged
	s.UsernsMode, s.GroupAdd, s.Init = f.userns, f.groupAdd, f.init
	for _, v := range f.sysctl {
		k, val, err := specgen.ParseSysctl(v)
		if err != nil {
			return err
		}
		if s.Sysctls == nil {
			s.Sysctls = map[string]string{}
		}
		s.Sysctls[k] = val
	}
	for _, v := range f.device {
		d, err := specgen.ParseDevice(v)
		if err != nil {
			return err
		}
		s.Devices = append(s.Devices, d)
	}
	for _, v := range f.ulimit {
		u, err := specgen.ParseUlimit(v)
		if err != nil {
			return err
		}
		s.Ulimits = append(s.Ulimits, u)
	}
	return f.resourceFlags.resources(&s.ResourceConfig)
}

// resources parses the limit flags into r.
func (f *resourceFlags) resources(r *specgen.ResourceConfig) error {
	var err error
	if r.Memory, err = parseBytes("memory", f.memory); err != nil {
		return err
	}
	if r.MemorySwap, err = parseBytes("memory-swap", f.memorySwap); err != nil {
		return err
	}
	if r.MemoryReservation, err = parseBytes("memory-reservation", f.memoryReservation); err != nil {
		return err
	}
	if f.cpus < 0 || f.cpus > math.MaxInt64/1e9 {
		return command.Invalid("invalid --cpus %s: must be a positive number", strconv.FormatFloat(f.cpus, 'f', -1, 64))
	}
	r.NanoCPUs = int64(f.cpus * 1e9)
	r.CPUShares, r.CpusetCpus, r.PidsLimit, r.BlkioWeight = f.cpuShares, f.cpusetCpus, f.pidsLimit, f.blkioWeight
	return nil
}

// parseBytes parses a size as Docker does ("64m", "1g"); "-1" means
// unlimited (for --memory-swap).
func parseBytes(flag, v string) (int64, error) {
	switch v {
	case "":
		return 0, nil
	case "-1":
		return -1, nil
	}
	n, err := units.RAMInBytes(v)
	if err != nil {
		return 0, command.Invalid("invalid --%s %q: %v", flag, v, err)
	}
	return n, nil
}
