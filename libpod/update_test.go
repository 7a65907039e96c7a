package libpod

import (
	"testing"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func TestMergeResources(t *testing.T) {
	cur := specgen.ResourceConfig{Memory: 64 << 20, PidsLimit: 10, CpusetCpus: "0"}
	mergeResources(&cur, specgen.ResourceConfig{Memory: 128 << 20, CPUShares: 256})
	want := specgen.ResourceConfig{Memory: 128 << 20, PidsLimit: 10, CpusetCpus: "0", CPUShares: 256}
	if cur.Memory != want.Memory || cur.PidsLimit != want.PidsLimit || cur.CpusetCpus != want.CpusetCpus || cur.CPUShares != want.CPUShares {
		t.Errorf("merged = %+v, want %+v", cur, want)
	}
}
