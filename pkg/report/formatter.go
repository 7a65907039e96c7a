package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"text/template"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Format keywords.
const (
	// JSONFormat prints JSON instead of executing a template.
	JSONFormat = "json"
	// TablePrefix starts a table format: "table" alone or "table <template>".
	TablePrefix = "table"
)

// Table layout as Docker's CLI sets up text/tabwriter.
const (
	tableMinWidth = 10
	tableTabWidth = 1
	tablePadding  = 3
)

// IsJSON reports whether format asks for JSON output.
func IsJSON(format string) bool { return strings.TrimSpace(format) == JSONFormat }

// IsTable reports whether format asks for a table.
func IsTable(format string) bool { return strings.HasPrefix(strings.TrimSpace(format), TablePrefix) }

// Options configures a Formatter.
type Options struct {
	// Format is the user's --format value.
	Format string
	// Default replaces an empty Format and a bare "table", e.g.
	// "table {{.ID}}\t{{.Image}}\t{{.Names}}".
	Default string
	// Headers names table columns by field ("ID" or ".ID" -> "CONTAINER
	// ID"); a field missing here is headed by its upper-cased name.
	Headers map[string]string
	// JSONArray prints JSON as one indented array at Flush, as inspect does;
	// otherwise JSON is one compact object per line, as ps and images do.
	// With JSONArray an empty Format (and no Default) also means JSON.
	JSONArray bool
}

type mode int

const (
	modeTemplate mode = iota
	modeTable
	modeJSONLines
	modeJSONArray
)

// Formatter prints items in the format the user asked for. Rows of a table
// and elements of a JSON array are held until Flush; other output is
// written by Write.
type Formatter struct {
	w       io.Writer
	format  string
	mode    mode
	tmpl    *template.Template
	header  string
	rows    bytes.Buffer
	items   []any
	flushed bool
}

// New makes a Formatter for format ("json", a Go template, or "table
// <template>") with the given column headers; JSON is one object per line.
func New(w io.Writer, format string, headers map[string]string) (*Formatter, error) {
	return NewWithOptions(w, Options{Format: format, Headers: headers})
}

// NewWithOptions makes a Formatter; the template is parsed here, so a
// malformed one is reported before anything is printed.
func NewWithOptions(w io.Writer, opts Options) (*Formatter, error) {
	format := strings.TrimSpace(opts.Format)
	if (format == "" || format == TablePrefix) && opts.Default != "" {
		format = strings.TrimSpace(opts.Default)
		if opts.Format != "" && !IsTable(format) {
			format = TablePrefix + " " + format
		}
	}
	f := &Formatter{w: w, format: format}
	switch {
	case IsJSON(format) || (format == "" && opts.JSONArray):
		f.mode = modeJSONLines
		if opts.JSONArray {
			f.mode = modeJSONArray
		}
		return f, nil
	case format == "":
		return nil, fmt.Errorf("no output format given: %w", errdefs.ErrInvalidArg)
	case IsTable(format):
		f.mode = modeTable
		format = format[len(TablePrefix):]
		if strings.TrimSpace(format) == "" {
			return nil, fmt.Errorf("format %q: a table needs a template, e.g. \"table {{.ID}}\": %w", f.format, errdefs.ErrInvalidArg)
		}
	}
	text := strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(strings.Trim(format, " "))
	tmpl, err := template.New("format").Funcs(funcs()).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("parsing format %q: %w: %w", f.format, err, errdefs.ErrInvalidArg)
	}
	f.tmpl = tmpl
	if f.mode == modeTable {
		f.header = headerRow(tmpl.Tree, opts.Headers)
	}
	return f, nil
}

// Write formats items. A template that fails on an item (an unknown field,
// say) returns an error naming the format and the field, and prints nothing
// for that item.
func (f *Formatter) Write(items ...any) error {
	for _, item := range items {
		if err := f.write(item); err != nil {
			return err
		}
	}
	return nil
}

func (f *Formatter) write(item any) error {
	switch f.mode {
	case modeJSONArray:
		f.items = append(f.items, item)
		return nil
	case modeJSONLines:
		line, err := jsonString(item)
		if err != nil {
			return fmt.Errorf("encoding JSON: %w", err)
		}
		_, err = io.WriteString(f.w, line+"\n")
		return err
	}
	var buf bytes.Buffer
	if err := f.tmpl.Execute(&buf, item); err != nil {
		return fmt.Errorf("executing format %q: %w: %w", f.format, err, errdefs.ErrInvalidArg)
	}
	buf.WriteByte('\n')
	if f.mode == modeTable {
		f.rows.Write(buf.Bytes())
		return nil
	}
	_, err := f.w.Write(buf.Bytes())
	return err
}

// Flush prints what Write held back: a table with its header (printed even
// with no rows, as Docker does) or the JSON array. Calling it again does
// nothing.
func (f *Formatter) Flush() error {
	if f.flushed {
		return nil
	}
	f.flushed = true
	switch f.mode {
	case modeTable:
		tw := tabwriter.NewWriter(f.w, tableMinWidth, tableTabWidth, tablePadding, ' ', 0)
		if _, err := io.WriteString(tw, f.header+"\n"); err != nil {
			return err
		}
		if _, err := tw.Write(f.rows.Bytes()); err != nil {
			return err
		}
		return tw.Flush()
	case modeJSONArray:
		items := f.items
		if items == nil {
			items = []any{}
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "    ")
		if err := enc.Encode(items); err != nil {
			return fmt.Errorf("encoding JSON: %w", err)
		}
		_, err := f.w.Write(buf.Bytes())
		return err
	}
	return nil
}
