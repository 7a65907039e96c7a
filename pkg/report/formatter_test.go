package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// row stands for the context objects commands pass: fields and methods.
type row struct {
	ID     string
	Names  string
	Image  string
	Ports  []string
	Labels map[string]string
}

func (r row) Label(key string) string { return r.Labels[key] }

var rows = []any{
	row{ID: "0123456789ab", Names: "web", Image: "nginx:latest", Ports: []string{"80/tcp", "443/tcp"},
		Labels: map[string]string{"com.example.tier": "front", "html": "<b>&"}},
	row{ID: "abc", Names: "db-primary", Image: "postgres", Labels: map[string]string{"com.example.tier": "back"}},
}

var psHeaders = map[string]string{"ID": "CONTAINER ID", ".Names": "NAMES"}

func TestFormatter(t *testing.T) {
	cases := []struct {
		name  string
		opts  Options
		items []any
		want  string
	}{{
		name:  "template with literal tab",
		opts:  Options{Format: `{{.ID}}\t{{.Names}}`},
		items: rows,
		want:  "0123456789ab\tweb\nabc\tdb-primary\n",
	}, {
		name:  "template with real newline escape",
		opts:  Options{Format: `{{.Names}}\n--`},
		items: rows[:1],
		want:  "web\n--\n",
	}, {
		name:  "table with headers from the map",
		opts:  Options{Format: `table {{.ID}}\t{{.Names}}\t{{.Image}}`, Headers: psHeaders},
		items: rows,
		want: "CONTAINER ID   NAMES        IMAGE\n" +
			"0123456789ab   web          nginx:latest\n" +
			"abc            db-primary   postgres\n",
	}, {
		name:  "table minimum width",
		opts:  Options{Format: `table {{.Names}}\t{{.ID}}`, Headers: psHeaders},
		items: []any{row{Names: "a", ID: "b"}},
		want:  "NAMES     CONTAINER ID\na         b\n",
	}, {
		name:  "table header of a method with an argument",
		opts:  Options{Format: `table {{.Names}}\t{{.Label "com.example.tier"}}`, Headers: psHeaders},
		items: rows,
		want:  "NAMES        TIER\nweb          front\ndb-primary   back\n",
	}, {
		name:  "table header through functions and conditionals",
		opts:  Options{Format: `table {{upper .Names}}\t{{if .Ports}}{{join .Ports ","}}{{end}}\t{{truncate .ID 3}}`, Headers: psHeaders},
		items: rows,
		want:  "NAMES        PORTS            CONTAINER ID\nWEB          80/tcp,443/tcp   012\nDB-PRIMARY                    abc\n",
	}, {
		name:  "table with no rows prints the header",
		opts:  Options{Format: `table {{.ID}}\t{{.Names}}`, Headers: psHeaders},
		items: nil,
		want:  "CONTAINER ID   NAMES\n",
	}, {
		name:  "bare table uses the default",
		opts:  Options{Format: "table", Default: `table {{.ID}}\t{{.Names}}`, Headers: psHeaders},
		items: rows[1:],
		want:  "CONTAINER ID   NAMES\nabc            db-primary\n",
	}, {
		name:  "empty format uses the default",
		opts:  Options{Default: `table {{.Names}}`, Headers: psHeaders},
		items: rows[1:],
		want:  "NAMES\ndb-primary\n",
	}, {
		name:  "json is one object per line",
		opts:  Options{Format: "json"},
		items: rows,
		want: `{"ID":"0123456789ab","Names":"web","Image":"nginx:latest","Ports":["80/tcp","443/tcp"],"Labels":{"com.example.tier":"front","html":"<b>&"}}` + "\n" +
			`{"ID":"abc","Names":"db-primary","Image":"postgres","Ports":null,"Labels":{"com.example.tier":"back"}}` + "\n",
	}, {
		name:  "json array",
		opts:  Options{Format: " json ", JSONArray: true},
		items: []any{map[string]int{"a": 1}, map[string]int{"b": 2}},
		want:  "[\n    {\n        \"a\": 1\n    },\n    {\n        \"b\": 2\n    }\n]\n",
	}, {
		name:  "empty format is a json array for inspect",
		opts:  Options{JSONArray: true},
		items: []any{map[string]string{"Id": "x"}},
		want:  "[\n    {\n        \"Id\": \"x\"\n    }\n]\n",
	}, {
		name: "empty json array",
		opts: Options{JSONArray: true},
		want: "[]\n",
	}, {
		name:  "template in inspect mode",
		opts:  Options{Format: "{{.ID}}", JSONArray: true},
		items: rows,
		want:  "0123456789ab\nabc\n",
	}, {
		name:  "json function",
		opts:  Options{Format: "{{json .Labels}}"},
		items: rows[:1],
		want:  `{"com.example.tier":"front","html":"<b>&"}` + "\n",
	}, {
		name:  "string functions",
		opts:  Options{Format: `{{lower .Image}}|{{upper .Names}}|{{title "hello wORLD"}}|{{split .Image ":"}}|{{pad .Names 1 2}}|{{pad "" 1 2}}|{{truncate .ID 4}}|{{truncate .ID 99}}`},
		items: rows[:1],
		want:  "nginx:latest|WEB|Hello WORLD|[nginx latest]| web  ||0123|0123456789ab\n",
	}, {
		name:  "println",
		opts:  Options{Format: `{{println .Names}}{{.ID}}`},
		items: rows[:1],
		want:  "web\n0123456789ab\n",
	}, {
		name:  "method call",
		opts:  Options{Format: `{{.Label "com.example.tier"}}`},
		items: rows,
		want:  "front\nback\n",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			f, err := NewWithOptions(&out, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Write(tc.items...); err != nil {
				t.Fatal(err)
			}
			if err := f.Flush(); err != nil {
				t.Fatal(err)
			}
			if err := f.Flush(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("output:\n%q\nwant:\n%q", out.String(), tc.want)
			}
		})
	}
}

func TestNewMatchesSuggestedAPI(t *testing.T) {
	var out bytes.Buffer
	f, err := New(&out, `table {{.ID}}`, psHeaders)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(rows[1]); err != nil {
		t.Fatal(err)
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "CONTAINER ID\nabc\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

func TestFormatterErrors(t *testing.T) {
	cases := []struct {
		name      string
		opts      Options
		atWrite   bool
		wantParts []string
	}{
		{name: "unknown field", opts: Options{Format: "{{.Nope}}"}, atWrite: true,
			wantParts: []string{`"{{.Nope}}"`, "Nope"}},
		{name: "unknown field in table", opts: Options{Format: `table {{.ID}}\t{{.Bogus}}`}, atWrite: true,
			wantParts: []string{"Bogus"}},
		{name: "unknown function", opts: Options{Format: "{{nope .ID}}"},
			wantParts: []string{"nope"}},
		{name: "unclosed action", opts: Options{Format: "{{.ID"},
			wantParts: []string{"{{.ID"}},
		{name: "bare table without default", opts: Options{Format: "table"},
			wantParts: []string{"table"}},
		{name: "no format at all", opts: Options{},
			wantParts: []string{"no output format"}},
		{name: "wrong argument type", opts: Options{Format: `{{truncate .ID "x"}}`}, atWrite: true,
			wantParts: []string{"truncate"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			f, err := NewWithOptions(&out, tc.opts)
			if tc.atWrite {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				err = f.Write(rows...)
				if err == nil {
					err = f.Flush()
				}
			}
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Fatalf("error = %v, want ErrInvalidArg", err)
			}
			for _, p := range tc.wantParts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not mention %q", err, p)
				}
			}
			if tc.atWrite {
				if ferr := f.Flush(); ferr != nil {
					t.Fatal(ferr)
				}
				if strings.Contains(out.String(), "0123456789ab") {
					t.Errorf("printed rows despite the error: %q", out.String())
				}
			}
		})
	}
}

func TestIsJSONIsTable(t *testing.T) {
	cases := []struct {
		format        string
		json, isTable bool
	}{
		{"json", true, false},
		{" json ", true, false},
		{"{{json .}}", false, false},
		{"table", false, true},
		{"table {{.ID}}", false, true},
		{"{{.ID}}", false, false},
		{"", false, false},
	}
	for _, tc := range cases {
		if IsJSON(tc.format) != tc.json || IsTable(tc.format) != tc.isTable {
			t.Errorf("IsJSON/IsTable(%q) = %v/%v, want %v/%v", tc.format, IsJSON(tc.format), IsTable(tc.format), tc.json, tc.isTable)
		}
	}
}
