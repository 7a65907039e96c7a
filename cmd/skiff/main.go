package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/containers/storage/pkg/reexec"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func main() {
	// containers/storage re-executes this binary for some layer work
	// (applying tarballs in a chroot); those calls never reach cobra.
	if reexec.Init() {
		return
	}
	os.Exit(run(context.Background(), os.Args[1:]))
}

// run executes one command line and turns its error into one line on
// stderr and the exit code Docker and Podman users expect.
func run(ctx context.Context, args []string) int {
	root := newRootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	root.Shutdown(ctx)
	if err == nil {
		return 0
	}
	var exit *errdefs.ExitError
	if !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "Error: "+oneLine(err.Error()))
	}
	return errdefs.ExitCode(err)
}

// oneLine keeps an error message on a single line, as promised to users.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
