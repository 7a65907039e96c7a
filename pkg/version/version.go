// Package version holds skiff's build identity, set at link time by the
// Makefile (-X), and nothing else.
package version

import (
	"runtime"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// These are set with -ldflags "-X ...".
var (
	Number    = "0.1.0-dev"
	GitCommit = ""
	BuildTime = ""
)

// APIVersion is the Docker Engine API version skiff's service reports;
// MinAPIVersion the oldest it serves.
const (
	APIVersion    = "1.51"
	MinAPIVersion = "1.24"
)

// Get describes this build.
func Get() engine.Version {
	return engine.Version{
		Version: Number, APIVersion: APIVersion, MinAPIVersion: MinAPIVersion, GoVersion: runtime.Version(),
		GitCommit: GitCommit, Built: BuildTime, OsArch: runtime.GOOS + "/" + runtime.GOARCH,
	}
}
