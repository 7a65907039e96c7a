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

// restoreIsolation undoes a netavark 1.4 bug after a teardown: the one
// FORWARD rule that jumps to the isolation chain is shared by every
// isolated network, yet netavark deletes it whenever any one of them is
// torn down completely (its last container leaves), which opens all the
// others to each other until the next setup adds it back. When the chain
// still holds other networks' rules, the jump goes back in first place,
// where netavark puts it. Rootless, the rules live in the rootless network
// namespace. Failing here never fails the teardown: it is logged.
func (r *Runtime) restoreIsolation(backend nettypes.ContainerNetwork) {
	var err error
	if r.cfg.Rootless {
		err = backend.RunInRootlessNetns(restoreIsolationJump)
	} else {
		err = restoreIsolationJump()
	}
	if err != nil {
		logrus.Debugf("restoring netavark's isolation rule: %v", err)
	}
}

func restoreIsolationJump() error {
	for _, bin := range []string{"iptables", "ip6tables"} {
		path, err := exec.LookPath(bin)
		if err != nil {
			continue
		}
		rules, err := exec.Command(path, "-w", "-S", isolationChain).Output()
		if err != nil || !bytes.Contains(rules, []byte("-A "+isolationChain+" ")) {
			continue // no chain, or no isolated network left in it
		}
		if exec.Command(path, "-w", "-C", "FORWARD", "-j", isolationChain).Run() == nil {
			continue
		}
		if out, err := exec.Command(path, "-w", "-I", "FORWARD", "1", "-j", isolationChain).CombinedOutput(); err != nil {
			logrus.Warnf("restoring the jump to %s with %s: %v: %s", isolationChain, bin, err, bytes.TrimSpace(out))
		}
	}
	return nil
}
