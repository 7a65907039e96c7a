package network

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/containers/common/libnetwork/netavark"
	"github.com/containers/common/libnetwork/types"
	"github.com/containers/common/pkg/config"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

const (
	// DefaultNetworkName is the network containers join by default as
	// root, under Docker's name for it.
	DefaultNetworkName = "bridge"
	// DefaultInterface is the default network's bridge on the host.
	DefaultInterface = "skiff0"
	// DefaultSubnet is the default network's subnet. Podman's default is
	// 10.88.0.0/16 and its user networks start at 10.89.0.0/24: skiff
	// keeps clear of both so the two engines can share a host.
	DefaultSubnet = "10.99.0.0/16"
	// userSubnetPool is where subnets of user networks are allocated
	// from, /24 each (10.100.0.0/24 … 10.103.255.0/24), again clear of
	// Podman's first pools.
	userSubnetPool = "10.100.0.0/14"
	userSubnetSize = 24
)

// helperDirs are where Debian and Fedora install netavark, aardvark-dns
// and the other container networking helpers; PATH is searched last.
var helperDirs = []string{"/usr/libexec/podman", "/usr/lib/podman", "/usr/local/libexec/podman", "/usr/local/lib/podman"}

// Options say where the backend keeps its files.
type Options struct {
	// ConfigDir holds one JSON file per network (under skiff's graphroot).
	ConfigDir string
	// RunDir holds volatile state: the IPAM database, aardvark-dns config,
	// the rootless network namespace (under skiff's runroot).
	RunDir string
	// TmpDir is where slirp4netns and rootlessport write their logs and
	// sockets (skiff's volatile directory).
	TmpDir string
}

// NewBackend opens the netavark backend. Networks are read from disk on
// first use; the default network's file is written here when missing, so
// its bridge is skiff0 (libnetwork's in-memory default would be podman0).
// Rootless (environment _CONTAINERS_USERNS_CONFIGURED=done, which skiff
// sets inside its user namespace) libnetwork runs netavark in its shared
// rootless network namespace.
func NewBackend(opts Options) (types.ContainerNetwork, error) {
	netavarkPath, err := FindHelper("netavark", "netavark")
	if err != nil {
		return nil, err
	}
	aardvarkPath, err := FindHelper("aardvark-dns", "aardvark-dns")
	if err != nil {
		return nil, err
	}
	if err := writeDefaultNetwork(opts.ConfigDir); err != nil {
		return nil, err
	}
	backend, err := netavark.NewNetworkInterface(&netavark.InitConfig{
		NetworkConfigDir: opts.ConfigDir,
		NetavarkBinary:   netavarkPath,
		AardvarkBinary:   aardvarkPath,
		NetworkRunDir:    opts.RunDir,
		Config:           ContainersConfig(opts.TmpDir),
	})
	if err != nil {
		return nil, fmt.Errorf("opening the netavark network backend: %w", err)
	}
	return backend, nil
}

// ContainersConfig is the containers/common configuration skiff's
// networking runs with, built in code: libnetwork, pasta and slirp4netns
// read their defaults from it, and the host may have no containers.conf.
func ContainersConfig(tmpDir string) *config.Config {
	c := &config.Config{}
	c.Network.DefaultNetwork = DefaultNetworkName
	c.Network.DefaultSubnet = DefaultSubnet
	_, pool, _ := net.ParseCIDR(userSubnetPool)
	c.Network.DefaultSubnetPools = []config.SubnetPool{{Base: &types.IPNet{IPNet: *pool}, Size: userSubnetSize}}
	c.Network.DefaultRootlessNetworkCmd = "pasta"
	c.Engine.HelperBinariesDir.Set(helperDirs)
	c.Engine.TmpDir = tmpDir
	return c
}

// FindHelper finds a networking helper binary in the helper directories,
// then in PATH. Missing, the error says which Debian package provides it.
func FindHelper(name, pkg string) (string, error) {
	for _, dir := range helperDirs {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", errdefs.WithClass(errdefs.ClassUnavailable, fmt.Sprintf("%s not found in %s or PATH: install the %s package",
		name, strings.Join(helperDirs, ", "), pkg))
}

// DefaultNetworkID is the default network's ID, fixed so it reads the
// same on every host (Podman fixes its own the same way).
func DefaultNetworkID() string {
	sum := sha256.Sum256([]byte("skiff default bridge network"))
	return hex.EncodeToString(sum[:])
}

// defaultNetwork is the "bridge" network as written to its config file.
func defaultNetwork() (*types.Network, error) {
	subnet, err := types.ParseCIDR(DefaultSubnet)
	if err != nil {
		return nil, err
	}
	gw := make(net.IP, len(subnet.IP.To4()))
	copy(gw, subnet.IP.To4())
	gw[3]++
	return &types.Network{
		Name:             DefaultNetworkName,
		ID:               DefaultNetworkID(),
		Driver:           types.BridgeNetworkDriver,
		NetworkInterface: DefaultInterface,
		Subnets:          []types.Subnet{{Subnet: subnet, Gateway: gw}},
		IPAMOptions:      map[string]string{types.Driver: types.HostLocalIPAMDriver},
		// Isolated from the user networks, as Docker's default bridge.
		Options: map[string]string{types.IsolateOption: "true"},
		Labels:  map[string]string{},
	}, nil
}

// writeDefaultNetwork writes the default network's file unless it
// exists; a temporary file renamed into place means a concurrent skiff
// never reads half of it.
func writeDefaultNetwork(dir string) error {
	path := filepath.Join(dir, DefaultNetworkName+".json")
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	n, err := defaultNetwork()
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(n, "", "     ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the network config directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".bridge-*.tmp")
	if err != nil {
		return fmt.Errorf("writing the default network: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the default network: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the default network: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing the default network: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing the default network: %w", err)
	}
	return nil
}
