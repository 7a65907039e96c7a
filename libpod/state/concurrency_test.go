package state

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Environment of a worker process started by TestConcurrentProcesses.
const (
	envWorkerDB    = "SKIFF_STATE_TEST_WORKER_DB"
	envWorkerIndex = "SKIFF_STATE_TEST_WORKER_INDEX"
	envWorkerStart = "SKIFF_STATE_TEST_WORKER_START"
)

const (
	concurrentWorkers = 20
	opsPerWorker      = 10
)

// TestMain turns the test binary into a worker when re-executed by
// TestConcurrentProcesses.
func TestMain(m *testing.M) {
	if path := os.Getenv(envWorkerDB); path != "" {
		os.Exit(runWorkerProcess(path))
	}
	os.Exit(m.Run())
}

func runWorkerProcess(path string) int {
	idx, _ := strconv.Atoi(os.Getenv(envWorkerIndex))
	start, _ := strconv.ParseInt(os.Getenv(envWorkerStart), 10, 64)
	time.Sleep(time.Until(time.Unix(0, start))) // line all workers up
	if err := worker(context.Background(), nil, path, idx); err != nil {
		fmt.Fprintf(os.Stderr, "worker %d: %v\n", idx, err)
		return 1
	}
	return 0
}

// worker plays one skiff command sequence: open (unless db is shared), then
// for each container add, look up, update state, record an event, remove.
func worker(ctx context.Context, db *DB, path string, idx int) error {
	if db == nil {
		var err error
		if db, err = Open(ctx, path); err != nil {
			return err
		}
		defer db.Close()
	}
	for i := 0; i < opsPerWorker; i++ {
		name := fmt.Sprintf("w%d-c%d", idx, i)
		rec := record(testID(name), name, time.Now())
		if err := db.AddContainer(ctx, rec); err != nil {
			return err
		}
		got, err := db.LookupContainer(ctx, name)
		if err != nil {
			return err
		}
		if err := db.ModifyContainerState(ctx, got.ID, func(json.RawMessage) (json.RawMessage, error) {
			return json.RawMessage(`{"status":"running"}`), nil
		}); err != nil {
			return err
		}
		if _, err := db.AddEvent(ctx, Event{Type: "container", Action: "start", ID: got.ID, Name: name}); err != nil {
			return err
		}
		if _, err := db.ListContainers(ctx); err != nil {
			return err
		}
		if err := db.RemoveContainer(ctx, got.ID); err != nil {
			return err
		}
	}
	return nil
}

func TestConcurrentGoroutines(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "skiff.db")
			var db *DB
			if shared {
				db = openTest(t)
				path = db.Path()
			}
			var wg sync.WaitGroup
			errs := make(chan error, concurrentWorkers)
			for i := 0; i < concurrentWorkers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := worker(ctx, db, path, i); err != nil {
						errs <- fmt.Errorf("worker %d: %w", i, err)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			checkDrained(t, path)
		})
	}
}

func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	// A path that does not exist yet: the workers also race to create it.
	path := filepath.Join(t.TempDir(), "new", "skiff.db")
	start := time.Now().Add(300 * time.Millisecond).UnixNano()
	cmds := make([]*exec.Cmd, concurrentWorkers)
	outs := make([]*lockedBuffer, concurrentWorkers)
	for i := range cmds {
		outs[i] = &lockedBuffer{}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envWorkerDB+"="+path, envWorkerIndex+"="+strconv.Itoa(i),
			envWorkerStart+"="+strconv.FormatInt(start, 10))
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("worker %d: %v: %s", i, err, outs[i].String())
		}
	}
	checkDrained(t, path)
}

// checkDrained verifies every worker removed what it added and logged all
// its events.
func checkDrained(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if list, err := db.ListContainers(ctx); err != nil || len(list) != 0 {
		t.Fatalf("%d containers left (%v), want 0", len(list), err)
	}
	if evs, err := db.Events(ctx, EventFilter{}); err != nil || len(evs) != concurrentWorkers*opsPerWorker {
		t.Fatalf("%d events (%v), want %d", len(evs), err, concurrentWorkers*opsPerWorker)
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
