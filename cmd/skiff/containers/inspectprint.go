package containers

// PrintInspect prints items as inspect does: an indented JSON array, or
// each through a Go template that names fields as the JSON does. Other
// kinds of objects (networks) print the same way.
func PrintInspect(format string, items []any) error { return printInspect(format, items) }
