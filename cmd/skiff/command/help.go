package command

import (
	"fmt"
	"strings"
	"text/template"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Annotations by which commands sort their flags into help sections.
const (
	// flagGroupAnnotation, on a flag, is the title of its section.
	flagGroupAnnotation = "skiff-flag-group"
	// flagGroupsAnnotation, on a command, lists its section titles in
	// order, one a line.
	flagGroupsAnnotation = "skiff-flag-groups"
)

// GroupFlags lists the named flags of cmd under title in its help, the
// sections in the order of the calls, as Podman's and Docker's references
// group run's options. Flags left out of every section follow under
// "Other flags". Naming a flag cmd lacks is a programming error: it panics,
// which the unit test walking the command tree catches.
func GroupFlags(cmd *cobra.Command, title string, names ...string) {
	for _, n := range names {
		if err := cmd.Flags().SetAnnotation(n, flagGroupAnnotation, []string{title}); err != nil {
			panic(fmt.Sprintf("grouping flags of %s: %v", cmd.Name(), err))
		}
	}
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	groups := cmd.Annotations[flagGroupsAnnotation]
	if !strings.Contains("\n"+groups+"\n", "\n"+title+"\n") {
		cmd.Annotations[flagGroupsAnnotation] = strings.TrimPrefix(groups+"\n"+title, "\n")
	}
}

// SetUsage gives root, and so every command, skiff's usage text: cobra's
// default with the flags in their sections. It is a function on the root
// rather than a template function registered with cobra, which would be
// process-wide state.
func SetUsage(root *cobra.Command) {
	tmpl := template.Must(template.New("usage").Funcs(template.FuncMap{
		"rpad": func(s string, n int) string { return fmt.Sprintf("%-*s", n, s) },
		"trim": func(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) },
	}).Parse(usageTemplate))
	root.SetUsageFunc(func(c *cobra.Command) error {
		return tmpl.Execute(c.OutOrStderr(), usage{c})
	})
}

// usage is what the template sees: the command and its flag sections.
type usage struct{ *cobra.Command }

// flagSection is one titled block of flag usages.
type flagSection struct {
	Title  string
	Usages string
}

// FlagSections are the command's own flags, by section.
func (u usage) FlagSections() []flagSection {
	local := u.LocalFlags()
	titles := strings.Split(u.Annotations[flagGroupsAnnotation], "\n")
	if titles[0] == "" {
		return []flagSection{{Title: "Flags", Usages: local.FlagUsages()}}
	}
	sets := map[string]*pflag.FlagSet{}
	other := pflag.NewFlagSet("other", pflag.ContinueOnError)
	local.VisitAll(func(f *pflag.Flag) {
		g := f.Annotations[flagGroupAnnotation]
		if len(g) == 0 {
			other.AddFlag(f)
			return
		}
		if sets[g[0]] == nil {
			sets[g[0]] = pflag.NewFlagSet(g[0], pflag.ContinueOnError)
		}
		sets[g[0]].AddFlag(f)
	})
	var out []flagSection
	for _, t := range titles {
		if fs := sets[t]; fs != nil && fs.HasAvailableFlags() {
			out = append(out, flagSection{Title: t, Usages: fs.FlagUsages()})
		}
	}
	if other.HasAvailableFlags() {
		out = append(out, flagSection{Title: "Other flags", Usages: other.FlagUsages()})
	}
	return out
}

// usageTemplate is cobra's default usage template (v1.10) with the flag
// block replaced by FlagSections.
const usageTemplate = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}{{range .FlagSections}}

{{.Title}}:
{{.Usages | trim}}{{end}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{.InheritedFlags.FlagUsages | trim}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`
