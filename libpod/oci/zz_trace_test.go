package oci

import (
	"context"
	"testing"
	"time"
)

func TestZZTrace(t *testing.T) {
	e := newTestEnv(t)
	e.rt.ConmonPath = "/tmp/ocitest/conmon-strace"
	ctx := context.Background()
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
	WaitExit(ctx, e.exitDir, id, res.PID)
	t.Logf("start %s create %v start %v wait %v", start.Format("15:04:05.000000"), t1.Sub(start), t2.Sub(t1), time.Since(t2))
}
