package libpod

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockContainer takes the container's own file lock. Each container has
// its own lock, so operations on different containers never queue behind
// each other; the lock is held only while a container's state changes,
// never while waiting on a process.
func (r *Runtime) lockContainer(id string) (func(), error) {
	path := filepath.Join(lockDir(r.cfg), id)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening lock of container %s: %w", id, err)
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking container %s: %w", id, err)
	}
	return func() { f.Close() }, nil
}

// lockFresh takes c's lock and reloads c's state under it, so that a state
// change starts from what other processes recorded. On error nothing is
// held.
func (r *Runtime) lockFresh(ctx context.Context, c *Container) (func(), error) {
	unlock, err := r.lockContainer(c.ID)
	if err != nil {
		return nil, err
	}
	if err := r.refresh(ctx, c); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

func (r *Runtime) removeLockFile(id string) {
	os.Remove(filepath.Join(lockDir(r.cfg), id))
}
