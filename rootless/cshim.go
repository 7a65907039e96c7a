//go:build linux && cgo

package rootless

// This file exposes pure C helpers to the tests (cgo is not allowed in
// _test.go files). Nothing here is used by the package itself.

/*
#include <stdlib.h>
#include "nsenter.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Skip reasons, mirrored from enum skiff_skip_reason for the tests.
const (
	skipNone       = int(C.SKIFF_SKIP_NONE)
	skipCommand    = int(C.SKIFF_SKIP_COMMAND)
	skipHelpFlag   = int(C.SKIFF_SKIP_HELP_FLAG)
	skipRemoteFlag = int(C.SKIFF_SKIP_REMOTE_FLAG)
	skipRemoteEnv  = int(C.SKIFF_SKIP_REMOTE_ENV)
	skipRemoteConn = int(C.SKIFF_SKIP_REMOTE_CONN)
)

// remoteEnv is what besides argv the rule looks at.
type remoteEnv struct {
	containerHost, containerConnection, dockerHost, connectionsFile string
}

// skipReason runs the constructor's argv rule on args (args[0] is the
// program name).
func skipReason(args []string, env remoteEnv) int {
	cargs := make([]*C.char, len(args)+1)
	for i, a := range args {
		cargs[i] = C.CString(a)
	}
	cenv := C.struct_skiff_remote_env{
		container_host:       C.CString(env.containerHost),
		container_connection: C.CString(env.containerConnection),
		docker_host:          C.CString(env.dockerHost),
		connections_file:     C.CString(env.connectionsFile),
	}
	defer func() {
		for _, p := range cargs {
			C.free(unsafe.Pointer(p))
		}
		for _, p := range []*C.char{cenv.container_host, cenv.container_connection, cenv.docker_host, cenv.connections_file} {
			C.free(unsafe.Pointer(p))
		}
	}()
	argv := (**C.char)(C.malloc(C.size_t(len(cargs)) * C.size_t(unsafe.Sizeof(cargs[0]))))
	defer C.free(unsafe.Pointer(argv))
	copy(unsafe.Slice(argv, len(cargs)), cargs)
	return int(C.skiff_skip_reason(C.int(len(args)), argv, &cenv))
}

// hasDefaultConnection runs the constructor's connections file check.
func hasDefaultConnection(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return C.skiff_has_default_connection(cpath) == 1
}

// findSubID runs the constructor's /etc/subuid parser on path.
func findSubID(path, name string, uid int) (start, count uint64, found bool, err error) {
	cpath, cname := C.CString(path), C.CString(name)
	defer C.free(unsafe.Pointer(cpath))
	defer C.free(unsafe.Pointer(cname))
	var s, c C.ulong
	r, errno := C.skiff_find_subid(cpath, cname, C.uint(uid), &s, &c)
	switch r {
	case 0:
		return uint64(s), uint64(c), true, nil
	case 1:
		return 0, 0, false, nil
	}
	return 0, 0, false, fmt.Errorf("reading %s: %w", path, errno)
}

// runtimeDirFor runs the constructor's runtime dir logic for uid.
func runtimeDirFor(uid int, rootless bool) (string, error) {
	var buf, errBuf [4096]C.char
	r := C.int(0)
	if rootless {
		r = 1
	}
	if C.skiff_runtime_dir(C.uint(uid), r, &buf[0], C.size_t(len(buf)), &errBuf[0], C.size_t(len(errBuf))) != 0 {
		return "", fmt.Errorf("%s", C.GoString(&errBuf[0]))
	}
	return C.GoString(&buf[0]), nil
}

// runtimeBaseFor runs the constructor's runtime base rule for uid.
func runtimeBaseFor(uid int) (string, error) {
	var buf, errBuf [4096]C.char
	if C.skiff_runtime_base(C.uint(uid), &buf[0], C.size_t(len(buf)), &errBuf[0], C.size_t(len(errBuf))) != 0 {
		return "", fmt.Errorf("%s", C.GoString(&errBuf[0]))
	}
	return C.GoString(&buf[0]), nil
}

// graphRootFor runs the constructor's storage discovery on args.
func graphRootFor(args []string, uid int) (string, bool) {
	cargs := make([]*C.char, len(args)+1)
	for i, a := range args {
		cargs[i] = C.CString(a)
	}
	defer func() {
		for _, p := range cargs {
			C.free(unsafe.Pointer(p))
		}
	}()
	argv := (**C.char)(C.malloc(C.size_t(len(cargs)) * C.size_t(unsafe.Sizeof(cargs[0]))))
	defer C.free(unsafe.Pointer(argv))
	copy(unsafe.Slice(argv, len(cargs)), cargs)
	var buf [4096]C.char
	if C.skiff_graph_root(C.int(len(args)), argv, C.uint(uid), &buf[0], C.size_t(len(buf))) != 0 {
		return "", false
	}
	return C.GoString(&buf[0]), true
}
