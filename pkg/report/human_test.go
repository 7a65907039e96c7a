package report

import (
	"testing"
	"time"
)

func TestHumanDuration(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "Less than a second"},
		{999 * time.Millisecond, "Less than a second"},
		{time.Second, "1 second"},
		{59 * time.Second, "59 seconds"},
		{time.Minute, "About a minute"},
		{119 * time.Second, "About a minute"},
		{3 * time.Minute, "3 minutes"},
		{59 * time.Minute, "59 minutes"},
		{time.Hour, "About an hour"},
		{89 * time.Minute, "About an hour"},
		{90 * time.Minute, "2 hours"},
		{47 * time.Hour, "47 hours"},
		{48 * time.Hour, "2 days"},
		{14 * 24 * time.Hour, "2 weeks"},
		{60 * 24 * time.Hour, "2 months"},
		{2 * 365 * 24 * time.Hour, "2 years"},
	}
	for _, tc := range cases {
		if got := HumanDuration(tc.d); got != tc.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestTruncateID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"0123456789ab", "0123456789ab"},
		{"0123456789abcdef0123", "0123456789ab"},
		{"sha256:0123456789abcdef0123", "0123456789ab"},
		{"sha256:abc", "abc"},
	}
	for _, tc := range cases {
		if got := TruncateID(tc.in); got != tc.want {
			t.Errorf("TruncateID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContainerStatus(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		s    ContainerState
		want string
	}{
		{"created", ContainerState{State: "created"}, "Created"},
		{"running", ContainerState{State: "running", StartedAt: now.Add(-3 * time.Minute)}, "Up 3 minutes"},
		{"just started", ContainerState{State: "running", StartedAt: now}, "Up Less than a second"},
		{"paused", ContainerState{State: "paused", StartedAt: now.Add(-time.Hour)}, "Up About an hour (Paused)"},
		{"exited", ContainerState{State: "exited", StartedAt: now.Add(-time.Minute), FinishedAt: now.Add(-2 * time.Second)}, "Exited (0) 2 seconds ago"},
		{"exited with code", ContainerState{State: "stopped", ExitCode: 137, StartedAt: now.Add(-time.Hour), FinishedAt: now.Add(-70 * time.Second)}, "Exited (137) About a minute ago"},
		{"restarting", ContainerState{State: "restarting", ExitCode: 1, StartedAt: now.Add(-time.Minute), FinishedAt: now.Add(-5 * time.Second)}, "Restarting (1) 5 seconds ago"},
		{"removing", ContainerState{State: "removing"}, "Removal In Progress"},
		{"dead", ContainerState{State: "dead"}, "Dead"},
		{"exited never started", ContainerState{State: "exited"}, "Created"},
	}
	for _, tc := range cases {
		if got := ContainerStatus(tc.s, now); got != tc.want {
			t.Errorf("%s: ContainerStatus = %q, want %q", tc.name, got, tc.want)
		}
	}
}
