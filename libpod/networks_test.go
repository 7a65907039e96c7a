package libpod

import (
	"errors"
	"testing"
	"time"

	nettypes "github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/libpod/filter"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func testNetworks() []NetworkInfo {
	web := &Container{ID: "c1", Name: "web", Created: time.Unix(1, 0)}
	return []NetworkInfo{
		{Network: nettypes.Network{Name: "backend", ID: "b4c3", Driver: "bridge", Labels: map[string]string{"env": "dev", "tier": "db"}},
			Members: []NetworkMember{{Container: web}}},
		{Network: nettypes.Network{Name: "bridge", ID: "0d1f", Driver: "bridge"}, Builtin: true},
		{Network: nettypes.Network{Name: "frontend", ID: "f00d", Driver: "bridge", Labels: map[string]string{"env": "prod"}}},
		{Network: nettypes.Network{Name: "host", ID: "7777", Driver: "host"}, Builtin: true},
		{Network: nettypes.Network{Name: "none", ID: "0000", Driver: "null"}, Builtin: true},
	}
}

func TestNetworkListFilters(t *testing.T) {
	cases := []struct {
		name    string
		filters map[string][]string
		want    []string
		wantErr error
	}{
		{"none", nil, []string{"backend", "bridge", "frontend", "host", "none"}, nil},
		{"name is a regular expression", map[string][]string{"name": {"end$"}}, []string{"backend", "frontend"}, nil},
		{"name values are alternatives", map[string][]string{"name": {"^host$", "^none$"}}, []string{"host", "none"}, nil},
		{"id prefix", map[string][]string{"id": {"f0"}}, []string{"frontend"}, nil},
		{"driver is exact", map[string][]string{"driver": {"bridg"}}, nil, nil},
		{"driver", map[string][]string{"driver": {"null"}}, []string{"none"}, nil},
		{"label key", map[string][]string{"label": {"env"}}, []string{"backend", "frontend"}, nil},
		{"every label must match", map[string][]string{"label": {"env=dev", "tier=db"}}, []string{"backend"}, nil},
		{"type custom", map[string][]string{"type": {"custom"}}, []string{"backend", "frontend"}, nil},
		{"type builtin", map[string][]string{"type": {"builtin"}}, []string{"bridge", "host", "none"}, nil},
		{"dangling", map[string][]string{"dangling": {"true"}}, []string{"frontend"}, nil},
		{"not dangling", map[string][]string{"dangling": {"0"}}, []string{"backend", "bridge", "host", "none"}, nil},
		{"scope", map[string][]string{"scope": {"local"}, "name": {"^bridge$"}}, []string{"bridge"}, nil},
		{"scope swarm", map[string][]string{"scope": {"swarm"}}, nil, nil},
		{"keys combine", map[string][]string{"type": {"custom"}, "label": {"env=prod"}}, []string{"frontend"}, nil},
		{"bad dangling", map[string][]string{"dangling": {"maybe"}}, nil, errdefs.ErrInvalidArg},
		{"two dangling", map[string][]string{"dangling": {"true", "false"}}, nil, errdefs.ErrInvalidArg},
		{"bad type", map[string][]string{"type": {"overlay"}}, nil, errdefs.ErrInvalidArg},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := filter.Args(c.filters)
			match, err := compileNetworkFilter(args)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("err = %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range testNetworks() {
				if match(&n) {
					got = append(got, n.Name)
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestNetworkListRefusesUnknownKeys(t *testing.T) {
	err := filter.Validate(filter.Args(map[string][]string{"colour": {"red"}}), networkListKeys)
	if !errors.Is(err, errdefs.ErrInvalidArg) || err.Error() != "invalid filter 'colour'" {
		t.Fatalf("err = %v, want Docker's invalid filter 'colour'", err)
	}
}

func TestFindNetwork(t *testing.T) {
	all := append(testNetworks(), NetworkInfo{Network: nettypes.Network{Name: "f00d", ID: "abcd"}})
	cases := []struct {
		ref, want string
		wantErr   error
	}{
		{"frontend", "frontend", nil},
		{"f00d", "frontend", nil}, // a full ID beats a name
		{"b4", "backend", nil},
		{"0", "", errdefs.ErrAmbiguous}, // 0d1f and 0000
		{"nope", "", errdefs.ErrNoSuchNetwork},
		{"", "", errdefs.ErrNoSuchNetwork},
	}
	for _, c := range cases {
		n, err := findNetwork(all, c.ref)
		if c.wantErr != nil {
			if !errors.Is(err, c.wantErr) {
				t.Errorf("findNetwork(%q): err = %v, want %v", c.ref, err, c.wantErr)
			}
			continue
		}
		if err != nil || n.Name != c.want {
			t.Errorf("findNetwork(%q) = %v, %v; want %s", c.ref, n, err, c.want)
		}
	}
}

func TestNextInterface(t *testing.T) {
	cur := map[string]nettypes.PerNetworkOptions{"a": {InterfaceName: "eth0"}, "b": {InterfaceName: "eth2"}}
	if got := nextInterface(cur); got != "eth1" {
		t.Errorf("nextInterface = %s, want eth1", got)
	}
	if got := nextInterface(nil); got != "eth0" {
		t.Errorf("nextInterface(nil) = %s, want eth0", got)
	}
}
