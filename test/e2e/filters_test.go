package e2e

import (
	"bufio"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestFilterSemantics checks ps, images and prune filters against Docker's
// rules: different label filters must all match, a filter does not lift
// ps's running-only default, names are regular expressions, before and
// since name containers, and an unknown key is refused in Docker's words.
func TestFilterSemantics(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		m.must(t, "create", "--name", "one", "-l", "a=1", image, "true")
		m.must(t, "create", "--name", "two", "-l", "a=1", "-l", "b=9", image, "true")
		m.must(t, "run", "-d", "--name", "up", "-l", "a=1", image, "sleep", "1000")
		m.cleanup(t, "up")
		names := func(args ...string) string {
			t.Helper()
			out := m.must(t, append(append([]string{"ps"}, args...), "--format", "{{.Names}}")...).Lines()
			sort.Strings(out)
			return strings.Join(out, ",")
		}
		for _, tt := range []struct {
			what string
			args []string
			want string
		}{
			{"labels are ANDed", []string{"-a", "--filter", "label=a=1", "--filter", "label=b=9"}, "two"},
			{"a label and a missing one", []string{"-a", "--filter", "label=a=1", "--filter", "label=c"}, ""},
			{"a filter keeps ps to running containers", []string{"--filter", "label=a=1"}, "up"},
			{"names are alternatives", []string{"-a", "--filter", "name=one", "--filter", "name=up"}, "one,up"},
			{"a name is a regular expression", []string{"-a", "--filter", "name=^t.o$"}, "two"},
			{"before", []string{"-a", "--filter", "before=up"}, "one,two"},
			{"since", []string{"-a", "--filter", "since=one"}, "two,up"},
			{"status lists stopped containers without -a", []string{"--filter", "status=created"}, "one,two"},
			{"network", []string{"-a", "--filter", "network=" + defaultNetwork(m), "--filter", "label=b"}, "two"},
			{"another network", []string{"-a", "--filter", "network=host", "--filter", "label=b"}, ""},
		} {
			if got := names(tt.args...); got != tt.want {
				t.Errorf("%s: ps %s: want %q, got %q", tt.what, strings.Join(tt.args, " "), tt.want, got)
			}
		}

		wantErr(t, m.run(t, "ps", "--filter", "color=red"), 125, "Error: invalid filter 'color'\n")
		wantErr(t, m.run(t, "ps", "--filter", "status=sleeping"), 125, "invalid filter 'status=sleeping'")
		wantErr(t, m.run(t, "ps", "--filter", "before=nosuch"), 125, "No such container: nosuch")
		wantErr(t, m.run(t, "images", "--filter", "color=red"), 125, "Error: invalid filter 'color'\n")
		wantErr(t, m.run(t, "images", "--filter", "id=x"), 125, "Error: invalid filter 'id'\n")
		wantErr(t, m.run(t, "image", "prune", "-f", "--filter", "reference=x"), 125, "Error: invalid filter 'reference'\n")
		wantErr(t, m.run(t, "container", "prune", "-f", "--filter", "status=exited"), 125, "Error: invalid filter 'status'\n")
		wantOut(t, m.run(t, "images", "--filter", "dangling=false", "--filter", "reference=localhost/busybox", "--format", "{{.Repository}}"), "localhost/busybox")

		// Prune: both labels must match, so only "two" goes.
		two := m.containerID(t, "two")
		var pruned []string // the IDs among Docker's "Deleted Containers:" report
		for _, l := range m.must(t, "container", "prune", "-f", "--filter", "label=a=1", "--filter", "label=b=9").Lines() {
			if hex64.MatchString(l) {
				pruned = append(pruned, l)
			}
		}
		if strings.Join(pruned, ",") != two {
			t.Errorf("prune label=a=1 label=b=9: want only %s removed, got %v", two, pruned)
		}
		if got := names("-a"); got != "one,up" {
			t.Errorf("after prune label=a=1 label=b=9: want one,up left, got %q", got)
		}
		// label!: a container carrying the label is kept.
		m.must(t, "container", "prune", "-f", "--filter", "label!=a=1")
		if got := names("-a"); got != "one,up" {
			t.Errorf("after prune label!=a=1: want one,up left, got %q", got)
		}
	})
}

// TestEventsNewOnly checks that events, like Docker's, shows only events
// to come unless --since or --until asks for recorded ones.
func TestEventsNewOnly(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		m.must(t, "create", "--name", "old", image, "true")

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := m.cmd(ctx, "events", "--format", "{{.Action}} {{.Actor.Attributes.name}}")
		out, err := c.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); _ = c.Wait() }()
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		// The stream has no "subscribed" signal: create containers until
		// one's create event arrives, then every line so far is known.
		var seen []string
		found := false
		for i := 0; i < 20 && !found; i++ {
			marker := fmt.Sprintf("marker%d", i)
			m.must(t, "create", "--name", marker, image, "true")
			wait := time.After(3 * time.Second)
		read:
			for {
				select {
				case l, ok := <-lines:
					if !ok {
						t.Fatalf("events ended early; saw %q", seen)
					}
					seen = append(seen, l)
					if strings.HasPrefix(l, "create marker") {
						found = true
						break read
					}
				case <-wait:
					break read
				}
			}
		}
		if !found {
			t.Fatalf("no create event of a marker arrived; saw %q", seen)
		}
		for _, l := range seen {
			if strings.HasSuffix(l, " old") {
				t.Errorf("events without --since replayed a past event: %q (all: %q)", l, seen)
			}
		}

		// --until alone replays the recorded events up to it and ends.
		until := time.Now().Add(-time.Millisecond).Format(time.RFC3339Nano)
		past := m.must(t, "events", "--until", until, "--filter", "container=old", "--format", "{{.Action}}")
		wantOut(t, past, "create")
		wantErr(t, m.run(t, "events", "--since", "1h", "--until", "2h"), 125, "cannot be after `until` time")
	})
}
