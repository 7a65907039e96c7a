package oci

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// helperEnv makes the test binary act as a short-lived skiff process.
const helperEnv = "SKIFF_OCI_TEST_HELPER"

// helperMain runs the helper mode when requested and reports whether it did.
func helperMain() bool {
	switch os.Getenv(helperEnv) {
	case "":
		return false
	case "create-start":
		os.Exit(helperCreateStart())
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode")
		os.Exit(2)
	}
	return true
}

// helperCreateStart creates and starts a container, prints its pid and
// conmon's, and exits without waiting.
func helperCreateStart() int {
	ctx := context.Background()
	rt, err := Detect(ctx, DetectOptions{Root: os.Getenv("HELPER_ROOT")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	id, bundle := os.Getenv("HELPER_ID"), os.Getenv("HELPER_BUNDLE")
	res, err := rt.CreateContainer(ctx, CreateOptions{
		ID: id, Bundle: bundle, ExitDir: os.Getenv("HELPER_EXITDIR"),
		LogPath: filepath.Join(bundle, "ctr.log"),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := rt.StartContainer(ctx, id); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(res.PID, res.ConmonPID)
	return 0
}
