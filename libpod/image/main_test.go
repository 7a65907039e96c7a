package image

import (
	"os"
	"testing"

	"github.com/containers/storage/pkg/reexec"
)

// TestMain lets containers/storage re-execute the test binary for its
// chrooted layer extraction, as cmd/skiff's main does.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
