package oci

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/rootless"
)

// TestMeasureRunTrue reports the median latency of CreateContainer +
// StartContainer + WaitExit for `true` next to a bare `runc run`. It only
// measures (set SKIFF_OCI_BENCH=1); correctness is covered elsewhere.
func TestMeasureRunTrue(t *testing.T) {
	if os.Getenv("SKIFF_OCI_BENCH") == "" {
		t.Skip("set SKIFF_OCI_BENCH=1 to measure")
	}
	e := newTestEnv(t)
	t.Logf("rootless namespace: %v", rootless.InNamespace())
	const n = 20
	ctx := context.Background()
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }

	var ours, creates, starts, waits []time.Duration
	for i := 0; i < n; i++ {
		id := newID(t)
		opts := e.createOpts(id, writeBundle(t, "", specOpts{args: []string{"true"}}))
		start := time.Now()
		res, err := e.rt.CreateContainer(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		if err := e.rt.StartContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
		t2 := time.Now()
		if code, _, err := WaitExit(ctx, e.exitDir, id, res.PID); err != nil || code != 0 {
			t.Fatalf("WaitExit = %d, %v", code, err)
		}
		ours = append(ours, time.Since(start))
		creates, starts, waits = append(creates, t1.Sub(start)), append(starts, t2.Sub(t1)), append(waits, time.Since(t2))
		_ = e.rt.DeleteContainer(ctx, id, true)
	}

	var bare []time.Duration
	for i := 0; i < n; i++ {
		id := newID(t)
		bundle := writeBundle(t, "", specOpts{args: []string{"true"}})
		start := time.Now()
		if out, err := exec.Command(e.rt.Path, "--root", e.rt.Root, "run", "--bundle", bundle, id).CombinedOutput(); err != nil {
			t.Fatalf("runc run: %v\n%s", err, out)
		}
		bare = append(bare, time.Since(start))
	}
	t.Logf("create+start+wait `true`: median %v over %d runs (min %v)", median(ours), n, slices.Min(ours))
	t.Logf("  of which create %v, start %v, wait %v (medians)", median(creates), median(starts), median(waits))
	t.Logf("bare `%s run`:            median %v over %d runs (min %v)", e.rt.Name, median(bare), n, slices.Min(bare))
}
