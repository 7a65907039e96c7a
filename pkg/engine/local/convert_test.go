package local

import (
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/libpod"
)

func TestStatus(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		st      libpod.ContainerState
		want    string
		running bool
	}{
		{libpod.ContainerState{Status: libpod.StatusCreated}, "Created", false},
		{libpod.ContainerState{Status: libpod.StatusRunning, StartedAt: now.Add(-5 * time.Second)}, "Up 5 seconds", true},
		{libpod.ContainerState{Status: libpod.StatusPaused, StartedAt: now.Add(-5 * time.Second)}, "Up 5 seconds (Paused)", true},
		{libpod.ContainerState{Status: libpod.StatusPaused, StartedAt: now.Add(-3 * time.Minute)}, "Up 3 minutes (Paused)", true},
		{libpod.ContainerState{Status: libpod.StatusExited, ExitCode: 137, FinishedAt: now.Add(-2 * time.Second)}, "Exited (137) 2 seconds ago", false},
		{libpod.ContainerState{Status: libpod.StatusRemoving}, "Removal In Progress", false},
	}
	for _, tt := range tests {
		c := &libpod.Container{State: tt.st}
		if got := status(c, now); got != tt.want {
			t.Errorf("status(%s) = %q, want %q", tt.st.Status, got, tt.want)
		}
		if got := c.State.Status.Up(); got != tt.running {
			t.Errorf("%s: Up() = %v, want %v", tt.st.Status, got, tt.running)
		}
	}
}
