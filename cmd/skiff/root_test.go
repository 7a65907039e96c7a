package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
)

// walk calls fn on every command of the tree that is skiff's own: not the
// not-implemented stubs, not cobra's generated help and completion.
func walk(c *cobra.Command, fn func(*cobra.Command)) {
	if c.Annotations[command.NotImplementedAnnotation] != "" || c.Name() == "help" || c.Name() == "completion" {
		return
	}
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// TestHelpTexts holds every command's help to what Docker's and Podman's
// give: an example of its use, and a usage text for each flag.
func TestHelpTexts(t *testing.T) {
	root := newRootCommand()
	n := 0
	walk(root.Command, func(c *cobra.Command) {
		n++
		path := c.CommandPath()
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s: no example (set Example)", path)
		}
		for _, line := range strings.Split(c.Example, "\n") {
			if !strings.HasPrefix(line, "  ") || !strings.Contains(line, "skiff ") {
				t.Errorf("%s: example line %q: want a command line using skiff, indented by two spaces", path, line)
			}
		}
		if u := c.UsageString(); !strings.Contains(u, "Examples:\n"+c.Example+"\n") {
			t.Errorf("%s: the help does not show the example:\n%s", path, u)
		}
		if c.Short == "" {
			t.Errorf("%s: no short description", path)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if strings.TrimSpace(f.Usage) == "" {
				t.Errorf("%s: flag --%s has no usage text", path, f.Name)
			}
		})
	})
	if n < 60 {
		t.Errorf("walked only %d commands: is the tree built?", n)
	}
}

// TestHelpOutput checks that help renders the examples and the flag
// sections of run.
func TestHelpOutput(t *testing.T) {
	root := newRootCommand()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"run", "--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	for _, want := range []string{"Examples:\n  skiff run ", "\n\nProcess:\n", "\n\nStorage:\n", "      --mount "} {
		if !strings.Contains(help, want) {
			t.Errorf("run --help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "Other flags:") && strings.Contains(help[strings.Index(help, "Other flags:"):], "--name") {
		t.Errorf("run --help leaves --name out of its sections:\n%s", help)
	}
}

// TestNotImplemented checks that Docker's commands skiff lacks say so in
// one line whatever flags follow, and that real commands keep their place.
func TestNotImplemented(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"system", "prune", "-f"}, `"system prune" is not implemented in skiff yet`},
		{[]string{"volume", "update", "--availability", "drain", "v"}, `"volume update" is not implemented in skiff yet`},
		{[]string{"container", "cp", "a:/x", "."}, `"container cp" is not implemented in skiff yet`},
		{[]string{"contianer", "ls"}, `unknown command "contianer" for "skiff"`},
	}
	for _, tt := range tests {
		root := newRootCommand()
		root.SetArgs(tt.args)
		root.SetOut(&bytes.Buffer{})
		root.SetErr(&bytes.Buffer{})
		err := root.Execute()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("skiff %s: got %v, want %q", strings.Join(tt.args, " "), err, tt.want)
		}
	}
	// Commands skiff has are never shadowed by a stub.
	root := newRootCommand()
	for _, path := range [][]string{{"events"}, {"system", "events"}, {"container", "commit"}, {"container", "export"}, {"container", "diff"}} {
		c, _, err := root.Find(path)
		if err != nil || c.Annotations[command.NotImplementedAnnotation] != "" {
			t.Errorf("skiff %s: want the real command, got %v (%v)", strings.Join(path, " "), c.CommandPath(), err)
		}
	}
}
