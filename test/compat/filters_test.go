package compat

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestCLIFilterSemantics checks Docker's filter rules through the docker
// CLI: different label filters must all match (for ps and prune), a
// filter does not lift ps's running-only default, and an unknown key is a
// 400 in Docker's words.
func TestCLIFilterSemantics(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		tag := uniqueName(t, "flt")
		one, two, up := tag+"-one", tag+"-two", tag+"-up"
		md.rmf(t, one, two, up)
		md.must(t, "create", "--name", one, "--label", tag+"=1", image, "true")
		md.must(t, "create", "--name", two, "--label", tag+"=1", "--label", tag+"-b=9", image, "true")
		md.must(t, "run", "-d", "--name", up, "--label", tag+"=1", image, "sleep", "1000")
		names := func(args ...string) string {
			r := md.must(t, append(append([]string{"ps"}, args...), "--format", "{{.Names}}")...)
			lines := strings.Fields(r.out())
			sortStrings(lines)
			return strings.Join(lines, ",")
		}
		if got := names("-a", "--filter", "label="+tag+"=1", "--filter", "label="+tag+"-b=9"); got != two {
			t.Errorf("labels ANDed: %q, want %q", got, two)
		}
		if got := names("--filter", "label="+tag+"=1"); got != up {
			t.Errorf("a filter keeps ps to running containers: %q, want %q", got, up)
		}
		r := md.docker(t, nil, "ps", "--filter", "color=red")
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "Error response from daemon: invalid filter 'color'")

		r = md.must(t, "container", "prune", "-f", "--filter", "label="+tag+"=1", "--filter", "label="+tag+"-b=9")
		if got := names("-a", "--filter", "label="+tag); got != one+","+up {
			t.Errorf("after prune with two labels: %q left, want %q (prune said %q)", got, one+","+up, r.out())
		}
	})
}

// TestCLIEventsNewOnly: `docker events` without --since shows only events
// to come, as Docker's daemon does.
func TestCLIEventsNewOnly(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		tag := uniqueName(t, "evnew")
		old := tag + "-old"
		md.rmf(t, old)
		md.must(t, "create", "--name", old, "--label", tag+"=1", image, "true")

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := md.dockerCmd(ctx, "events", "--filter", "label="+tag, "--format", "{{.Action}} {{.Actor.Attributes.name}}")
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
		// No "subscribed" signal exists: create markers until one's event
		// arrives; by then every earlier line has been read.
		var seen []string
		for i := 0; i < 20; i++ {
			marker := fmt.Sprintf("%s-m%d", tag, i)
			md.rmf(t, marker)
			md.must(t, "create", "--name", marker, "--label", tag+"=1", image, "true")
			got, open := readUntil(lines, "create "+tag+"-m", 3*time.Second)
			seen = append(seen, got...)
			if !open {
				t.Fatalf("docker events ended early; saw %q", seen)
			}
			if len(got) > 0 && strings.HasPrefix(got[len(got)-1], "create "+tag+"-m") {
				for _, s := range seen {
					if strings.HasSuffix(s, " "+old) {
						t.Errorf("docker events replayed a past event: %q (all: %q)", s, seen)
					}
				}
				return
			}
		}
		t.Fatalf("no marker's create event arrived; saw %q", seen)
	})
}

// readUntil reads lines until one starts with prefix (the last one
// returned) or wait passes; open is false once the stream has ended.
func readUntil(lines <-chan string, prefix string, wait time.Duration) (got []string, open bool) {
	timeout := time.After(wait)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return got, false
			}
			got = append(got, l)
			if strings.HasPrefix(l, prefix) {
				return got, true
			}
		case <-timeout:
			return got, true
		}
	}
}

// TestCLIStatsUnsupported: skiff has no stats yet; `docker stats NAME`
// must fail saying so, not show a row of "--".
func TestCLIStatsUnsupported(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "stats")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sleep", "1000")
		r := md.docker(t, nil, "stats", "--no-stream", name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "Error response from daemon: container stats are not supported by skiff yet")
		r = md.docker(t, nil, "stats", "--no-stream", "nosuch-"+name)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "No such container: nosuch-"+name)
	})
}
