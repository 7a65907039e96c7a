package local

import (
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestToLibnetwork(t *testing.T) {
	cases := []struct {
		name      string
		opts      engine.NetworkCreateOptions
		wantErr   error
		wantRange string // the first subnet's range, back as a CIDR
		wantGW    string
	}{
		{name: "defaults", opts: engine.NetworkCreateOptions{Name: "a"}},
		{name: "subnet, gateway, range", opts: engine.NetworkCreateOptions{Name: "a", Subnets: []string{"10.120.0.0/16"},
			Gateways: []string{"10.120.0.254"}, IPRanges: []string{"10.120.5.0/24"}}, wantRange: "10.120.5.0/24", wantGW: "10.120.0.254"},
		{name: "gateway without subnet", opts: engine.NetworkCreateOptions{Name: "a", Gateways: []string{"10.0.0.1"}}, wantErr: errdefs.ErrInvalidArg},
		{name: "bad subnet", opts: engine.NetworkCreateOptions{Name: "a", Subnets: []string{"10.0.0.0/33"}}, wantErr: errdefs.ErrInvalidArg},
		{name: "bad gateway", opts: engine.NetworkCreateOptions{Name: "a", Subnets: []string{"10.0.0.0/24"}, Gateways: []string{"ten"}}, wantErr: errdefs.ErrInvalidArg},
		{name: "bad range", opts: engine.NetworkCreateOptions{Name: "a", Subnets: []string{"10.0.0.0/24"}, IPRanges: []string{"x"}}, wantErr: errdefs.ErrInvalidArg},
		{name: "macvlan", opts: engine.NetworkCreateOptions{Name: "a", Driver: "macvlan"}, wantErr: errdefs.ErrInvalidArg},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := toLibnetwork(c.opts)
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("err = %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.Driver != "bridge" || !n.DNSEnabled {
				t.Errorf("driver %q, dns %v: want a bridge with DNS", n.Driver, n.DNSEnabled)
			}
			if c.wantRange == "" {
				return
			}
			if got := rangeCIDR(n.Subnets[0].LeaseRange); got != c.wantRange {
				t.Errorf("range = %s, want %s", got, c.wantRange)
			}
			if got := n.Subnets[0].Gateway.String(); got != c.wantGW {
				t.Errorf("gateway = %s, want %s", got, c.wantGW)
			}
		})
	}
}
