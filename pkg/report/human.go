package report

import (
	"fmt"
	"strings"
	"time"

	units "github.com/docker/go-units"
)

// HumanDuration renders d the way Docker does ("Less than a second",
// "About a minute", "3 hours", "2 weeks").
func HumanDuration(d time.Duration) string { return units.HumanDuration(d) }

// Ago renders how long before now t was, as in "5 minutes ago".
func Ago(t, now time.Time) string { return HumanDuration(now.Sub(t)) + " ago" }

// shortIDLen is the length of IDs in tables.
const shortIDLen = 12

// TruncateID shortens an ID to 12 characters, dropping an algorithm prefix
// such as "sha256:" first, as Docker does.
func TruncateID(id string) string {
	if i := strings.IndexByte(id, ':'); i >= 0 {
		id = id[i+1:]
	}
	if len(id) > shortIDLen {
		id = id[:shortIDLen]
	}
	return id
}

// ContainerState is what ContainerStatus needs to know about a container.
type ContainerState struct {
	// State is one of created, running, paused, restarting, exited,
	// stopped, removing, dead.
	State      string
	ExitCode   int
	StartedAt  time.Time
	FinishedAt time.Time
}

// ContainerStatus renders the STATUS column of ps as Docker does: "Created",
// "Up 3 minutes", "Up 3 minutes (Paused)", "Exited (0) 2 seconds ago",
// "Restarting (1) 5 seconds ago", "Removal In Progress", "Dead".
func ContainerStatus(s ContainerState, now time.Time) string {
	switch s.State {
	case "running":
		return "Up " + HumanDuration(now.Sub(s.StartedAt))
	case "paused":
		return "Up " + HumanDuration(now.Sub(s.StartedAt)) + " (Paused)"
	case "restarting":
		return fmt.Sprintf("Restarting (%d) %s", s.ExitCode, Ago(s.FinishedAt, now))
	case "removing":
		return "Removal In Progress"
	case "dead":
		return "Dead"
	}
	if s.StartedAt.IsZero() || s.State == "created" {
		return "Created"
	}
	if s.FinishedAt.IsZero() {
		return ""
	}
	return fmt.Sprintf("Exited (%d) %s", s.ExitCode, Ago(s.FinishedAt, now))
}
