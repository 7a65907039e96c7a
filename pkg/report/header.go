package report

import (
	"strings"
	"text/template/parse"
)

// headerRow builds a table's header line from the template's parse tree:
// text is kept, each action becomes the header of the first field it names.
// Walking the tree (rather than executing the template against a map, as
// Docker does) keeps method calls with arguments, such as
// {{.Label "com.example.tier"}}, working in headers.
func headerRow(tree *parse.Tree, headers map[string]string) string {
	var b strings.Builder
	writeHeaders(&b, tree.Root, headers)
	return b.String()
}

func writeHeaders(b *strings.Builder, list *parse.ListNode, headers map[string]string) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			b.Write(n.Text)
		case *parse.ActionNode:
			b.WriteString(actionHeader(n.Pipe, headers))
		case *parse.IfNode:
			writeHeaders(b, n.List, headers)
		case *parse.RangeNode:
			writeHeaders(b, n.List, headers)
		case *parse.WithNode:
			writeHeaders(b, n.List, headers)
		}
	}
}

// actionHeader names the column an action prints. Variable declarations
// ({{$x := .ID}}) print nothing, so they get no header either.
func actionHeader(pipe *parse.PipeNode, headers map[string]string) string {
	if pipe == nil || len(pipe.Decl) > 0 {
		return ""
	}
	field, arg, ok := firstField(pipe)
	if !ok {
		return ""
	}
	for _, key := range []string{field, "." + field} {
		if h, ok := headers[key]; ok {
			return h
		}
	}
	if arg != "" {
		// A method with an argument, like .Label "a.b.c", is a column named
		// after the argument's last part.
		return strings.ToUpper(arg[strings.LastIndex(arg, ".")+1:])
	}
	return strings.ToUpper(field[strings.LastIndex(field, ".")+1:])
}

// firstField finds the first field a pipeline reads, with the string
// argument passed to it when it is a method call.
func firstField(pipe *parse.PipeNode) (field, arg string, ok bool) {
	for _, cmd := range pipe.Cmds {
		for i, a := range cmd.Args {
			switch n := a.(type) {
			case *parse.FieldNode:
				if i == 0 && len(cmd.Args) > 1 {
					if s, isString := cmd.Args[1].(*parse.StringNode); isString {
						arg = s.Text
					}
				}
				return strings.Join(n.Ident, "."), arg, true
			case *parse.ChainNode:
				if p, isPipe := n.Node.(*parse.PipeNode); isPipe {
					if f, _, found := firstField(p); found {
						return f + "." + strings.Join(n.Field, "."), "", true
					}
				}
			case *parse.PipeNode:
				if f, fa, found := firstField(n); found {
					return f, fa, true
				}
			}
		}
	}
	return "", "", false
}
