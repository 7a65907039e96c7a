package libpod

import (
	"bytes"
	"os/exec"

	nettypes "github.com/containers/common/libnetwork/types"
	"github.com/sirupsen/logrus"
)

// isolationChain is netavark's (iptables driver) chain that keeps
// isolated bridge networks apart.
const isolationChain = "NETAVARK_ISOLATION_1"

// isolationComment tags skiff's own jump to the isolation chain.
const isolationComment = "skiff: isolated bridge networks (netavark 1.4 drops its own jump)"

// ensureIsolation works around a netavark 1.4 bug: the one FORWARD rule
// that jumps to the isolation chain is shared by every isolated network,
// yet netavark deletes it whenever any one of them is torn down completely
// (its last container leaves), which opens all the others to each other
// until the next setup adds it back. skiff keeps a jump of its own, told
// apart by a comment so that netavark's deletion never matches it, in
// first place (where netavark puts its own), once the chain exists. It
// runs after each bridge setup and teardown; rootless, in the rootless
// network namespace, where those rules live. Failing here never fails the
// setup or teardown: it is logged.
func (r *Runtime) ensureIsolation(backend nettypes.ContainerNetwork, status map[string]nettypes.StatusBlock) {
	// ip6tables only when IPv6 is in play: each check is a process, and
	// this runs on every start of a bridge container.
	bins := []string{"iptables"}
	if hasIPv6(status) {
		bins = append(bins, "ip6tables")
	}
	fix := func() error { return ensureIsolationJump(bins) }
	var err error
	if r.cfg.Rootless {
		err = backend.RunInRootlessNetns(fix)
	} else {
		err = fix()
	}
	if err != nil {
		logrus.Debugf("ensuring the jump to netavark's isolation chain: %v", err)
	}
}

// hasIPv6 reports whether any interface of status has an IPv6 address.
func hasIPv6(status map[string]nettypes.StatusBlock) bool {
	for _, sb := range status {
		for _, iface := range sb.Interfaces {
			for _, a := range iface.Subnets {
				if a.IPNet.IP.To4() == nil {
					return true
				}
			}
		}
	}
	return false
}

// ensureIsolationJump adds skiff's jump where it is missing; the common
// case, where it is there, costs one check per tool.
func ensureIsolationJump(bins []string) error {
	jump := []string{"FORWARD", "-m", "comment", "--comment", isolationComment, "-j", isolationChain}
	for _, bin := range bins {
		path, err := exec.LookPath(bin)
		if err != nil {
			continue
		}
		if exec.Command(path, append([]string{"-w", "-C"}, jump...)...).Run() == nil {
			continue
		}
		if exec.Command(path, "-w", "-S", isolationChain).Run() != nil {
			continue // no isolated network was ever set up
		}
		args := append([]string{"-w", "-I", jump[0], "1"}, jump[1:]...)
		if out, err := exec.Command(path, args...).CombinedOutput(); err != nil {
			logrus.Warnf("adding the jump to %s with %s: %v: %s", isolationChain, bin, err, bytes.TrimSpace(out))
		}
	}
	return nil
}
