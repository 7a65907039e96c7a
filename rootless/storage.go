//go:build linux && cgo

package rootless

/*
#include <stdlib.h>
#include "nsenter.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"
)

// StorageRecord is the file beside a storage (in its skiff directory)
// that names the runtime base whose namespace serves that storage.
const StorageRecord = C.SKIFF_STORAGE_RECORD

// ClaimStorage makes sure the storage whose skiff directory is staticDir
// is served by the namespace this process joined, recording it when the
// storage is new or its recorded namespace is gone. The constructor
// already switched to the recorded runtime dir when it could tell which
// storage the command line uses; when it could not (a --root it did not
// see), two namespaces would share one storage, so this refuses in one
// line instead, naming the runtime dir to use. Real root and processes
// that inherited the namespace (conmon's exit command) have nothing to
// check.
func ClaimStorage(staticDir string) error {
	st := C.skiff_ns_state()
	if st.status != C.SKIFF_NS_JOINED {
		return nil
	}
	base := os.Getenv("XDG_RUNTIME_DIR")
	path := filepath.Join(staticDir, StorageRecord)
	rec, err := readRecord(path)
	if err != nil {
		return err
	}
	if rec == base {
		return nil
	}
	if rec != "" {
		if pid := pauseIn(rec); pid > 0 && pid != int(st.pause_pid) {
			if st.created != 0 {
				// A pause process made for nothing would stay forever.
				_ = syscall.Kill(int(st.pause_pid), syscall.SIGKILL)
			}
			return fmt.Errorf("storage %s is served by the skiff namespace of pause process %d (runtime dir %s), not by this command's (%s): run it with XDG_RUNTIME_DIR=%s",
				filepath.Dir(staticDir), pid, rec, base, rec)
		}
	}
	return writeRecord(path, base)
}

func readRecord(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line, nil
}

// writeRecord replaces the record atomically, so the constructor never
// reads half of it.
func writeRecord(path, base string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("recording the runtime dir of this storage: %w", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, []byte(base+"\n"), 0o600); err != nil {
		return fmt.Errorf("recording the runtime dir of this storage: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("recording the runtime dir of this storage: %w", err)
	}
	return nil
}

// pauseIn is the live pause process of a runtime base, or 0.
func pauseIn(base string) int {
	dir := C.CString(filepath.Join(base, "skiff"))
	defer C.free(unsafe.Pointer(dir))
	if pid := int(C.skiff_read_pause_pid(dir)); pid > 0 {
		return pid
	}
	return 0
}

// Redirected reports whether the constructor used the runtime dir
// recorded beside the storage instead of the one it would have chosen.
func Redirected() bool { return C.skiff_ns_state().redirected != 0 }
