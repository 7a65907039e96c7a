package command

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// dockerOnly is the one table of Docker's commands (docker --help of
// Docker 28, its groups' subcommands, and the compose and buildx plugins
// nearly every Docker user has) that skiff does not have yet: per parent
// command ("" is the top level), the names missing under it. A parent
// that skiff lacks altogether is made too. Entries that skiff implements
// are skipped when the tree is built, so a command that lands needs no
// change here to take its stub's place (though its line should go).
var dockerOnly = []struct{ parent, names string }{
	{"", "build bake buildx compose cp stats top update"},
	{"container", "cp stats top update"},
	{"image", "build"},
	{"manifest", "annotate"},
	{"system", "df prune"},
	{"builder", "build prune"},
	{"checkpoint", "create ls rm"},
	{"context", "create export import inspect ls rm show update use"},
	{"plugin", "create disable enable inspect install ls push rm set upgrade"},
	{"trust", "inspect key revoke sign signer"},
	{"volume", "update"},
	{"config", "create inspect ls rm"},
	{"node", "demote inspect ls promote ps rm update"},
	{"secret", "create inspect ls rm"},
	{"service", "create inspect logs ls ps rm rollback scale update"},
	{"stack", "config deploy ls ps rm services"},
	{"swarm", "ca init join join-token leave unlock unlock-key update"},
}

// NotImplementedAnnotation marks the stubs AddNotImplemented makes.
const NotImplementedAnnotation = "skiff-not-implemented"

// AddNotImplemented gives every command of dockerOnly that root lacks a
// hidden stub that fails, whatever follows it, with one line naming it:
// `"system prune" is not implemented in skiff yet` (exit 125). Stubs parse
// no flags, so `system prune -f` gets that line rather than a flag error.
// Typos of real commands still get cobra's "unknown command" and its
// suggestions, which never offer hidden commands.
func AddNotImplemented(root *cobra.Command) {
	for _, e := range dockerOnly {
		parent := root
		if e.parent != "" {
			parent = child(root, e.parent)
		}
		for _, name := range strings.Fields(e.names) {
			child(parent, name)
		}
	}
}

// child returns parent's subcommand called name, making a stub when there
// is none.
func child(parent *cobra.Command, name string) *cobra.Command {
	for _, c := range parent.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	stub := &cobra.Command{
		Use:                name,
		Short:              "Not implemented in skiff yet",
		Hidden:             true,
		DisableFlagParsing: true,
		Annotations:        map[string]string{NotImplementedAnnotation: "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
			return errdefs.As(errdefs.ErrNotImplemented, fmt.Sprintf("%q is not implemented in skiff yet", path))
		},
	}
	parent.AddCommand(stub)
	return stub
}
