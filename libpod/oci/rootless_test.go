package oci

import (
	"fmt"
	"os"

	"github.com/skiffcontainers/skiff/rootless"
)

// Importing package rootless installs its namespace constructor in this test
// binary, so running it as an unprivileged user runs every test as uid 0 in
// skiff's user namespace (full subordinate-id mapping), exactly where the
// engine calls this package:
//
//	go test -c -o /tmp/oci.test ./libpod/oci && runuser -u skifftest -- /tmp/oci.test -test.v
func init() {
	if err := rootless.EnsureNamespace(); err != nil {
		fmt.Fprintln(os.Stderr, "rootless test setup:", err)
		os.Exit(1)
	}
}
