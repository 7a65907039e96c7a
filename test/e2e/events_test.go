package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestEventsRenamePrune checks the event log that every command writes
// (Docker's action names, one die per exit), rename, and prune.
func TestEventsRenamePrune(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		name := cname(t)
		since := time.Now().Add(-time.Second).Format(time.RFC3339Nano)
		wantCode(t, m.run(t, "run", "--name", name, image, "sh", "-c", "exit 3"), 3)
		m.must(t, "rename", name, name+"-new")
		wantOut(t, m.run(t, "ps", "-a", "--format", "{{.Names}}"), name+"-new")
		res := m.run(t, "rename", "nosuch-ctr", "x")
		wantErr(t, res, 125, `no container with name or ID "nosuch-ctr" found`)

		m.must(t, "create", "--name", name+"-created", image, "true")
		m.must(t, "run", "-d", "--name", name+"-up", image, "sleep", "1000")
		var pruned []string
		for _, l := range m.must(t, "container", "prune", "-f").Lines() {
			if hex64.MatchString(l) {
				pruned = append(pruned, l)
			}
		}
		if len(pruned) != 2 {
			t.Errorf("prune: want the exited and the created container removed, got %v", pruned)
		}
		wantOut(t, m.run(t, "ps", "-a", "--format", "{{.Names}}"), name+"-up")
		m.must(t, "rm", "-f", name+"-up")

		until := time.Now().Add(time.Second).Format(time.RFC3339Nano)
		out := m.must(t, "events", "--since", since, "--until", until, "--format", "json").Lines()
		var actions []string
		dies := 0
		for _, line := range out {
			var ev struct {
				Type, Action string
				Actor        struct{ Attributes map[string]string }
			}
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("events --format json: %v in %q", err, line)
			}
			if ev.Actor.Attributes["name"] != name+"-new" && ev.Actor.Attributes["name"] != name {
				continue
			}
			actions = append(actions, ev.Action)
			if ev.Action == "die" {
				dies++
				if ev.Actor.Attributes["exitCode"] != "3" {
					t.Errorf("die event: want exitCode=3, got %v", ev.Actor.Attributes)
				}
			}
		}
		got := strings.Join(actions, " ")
		for _, want := range []string{"create", "start", "die", "rename", "destroy"} {
			if !strings.Contains(got, want) {
				t.Errorf("events: want %q among %q", want, got)
			}
		}
		if dies != 1 {
			t.Errorf("events: want exactly one die event, got %d in %q", dies, got)
		}
		filtered := m.must(t, "events", "--since", since, "--until", until, "--filter", "event=die", "--format", "{{.Action}}").Lines()
		for _, a := range filtered {
			if a != "die" {
				t.Errorf("events --filter event=die: got %q", a)
			}
		}
	})
}
