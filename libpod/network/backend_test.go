package network

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containers/common/libnetwork/types"
)

func TestWriteDefaultNetwork(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "networks")
	if err := writeDefaultNetwork(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "bridge.json"))
	if err != nil {
		t.Fatal(err)
	}
	var n types.Network
	if err := json.Unmarshal(data, &n); err != nil {
		t.Fatal(err)
	}
	if n.Name != "bridge" || n.NetworkInterface != "skiff0" || n.Driver != "bridge" || len(n.ID) != 64 {
		t.Errorf("default network = %+v", n)
	}
	if len(n.Subnets) != 1 || n.Subnets[0].Subnet.String() != DefaultSubnet || n.Subnets[0].Gateway.String() != "10.99.0.1" {
		t.Errorf("subnets = %+v", n.Subnets)
	}
	// An existing file, possibly edited by the user, is kept.
	if err := os.WriteFile(filepath.Join(dir, "bridge.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeDefaultNetwork(dir); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "bridge.json")); string(data) != "{}" {
		t.Errorf("existing default network file rewritten: %s", data)
	}
}

func TestNewBackendListsDefaultNetwork(t *testing.T) {
	if _, err := FindHelper("netavark", "netavark"); err != nil {
		t.Skip(err) // unit tests run without runtime deps; e2e covers the rest
	}
	root := t.TempDir()
	b, err := NewBackend(Options{ConfigDir: filepath.Join(root, "networks"), RunDir: filepath.Join(root, "run"), TmpDir: root})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := b.NetworkList()
	if err != nil {
		t.Fatal(err)
	}
	if len(nets) != 1 || nets[0].Name != "bridge" || nets[0].NetworkInterface != "skiff0" {
		t.Errorf("networks = %+v", nets)
	}
	if b.DefaultNetworkName() != "bridge" {
		t.Errorf("default network name = %q", b.DefaultNetworkName())
	}
}

func TestFindHelperMissingNamesPackage(t *testing.T) {
	_, err := FindHelper("skiff-no-such-helper", "skiff-pkg")
	if err == nil || !strings.Contains(err.Error(), "install the skiff-pkg package") {
		t.Errorf("err = %v", err)
	}
}
