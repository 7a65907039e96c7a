package specgen

import (
	"encoding/json"
	"testing"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// BenchmarkSeccompBuild is what the first container of a process pays for
// the default profile (a CLI `run` pays it once); later ones hit the cache.
func BenchmarkSeccompBuild(b *testing.B) {
	spec := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: defaultCapabilities}}}
	for b.Loop() {
		if _, err := seccomp.GetDefaultProfile(spec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeccompMarshal is the profile's share of writing config.json.
func BenchmarkSeccompMarshal(b *testing.B) {
	p, err := defaultSeccomp(defaultCapabilities)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}
