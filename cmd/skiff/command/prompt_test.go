package command

import (
	"strings"
	"testing"
)

func TestConfirm(t *testing.T) {
	tests := []struct {
		input string
		want  bool
	}{
		{"y\n", true},
		{"Y\n", true},
		{"  y  \n", true},
		{"y", true}, // the last line of a file without its newline
		{"n\n", false},
		{"yes\n", false}, // Docker takes only y or Y
		{"\n", false},
		{"", false}, // end of input: no stdin at all
		{"x\ny\n", false},
	}
	for _, tt := range tests {
		var out strings.Builder
		got := Confirm(strings.NewReader(tt.input), &out, "WARNING! Sure?")
		if got != tt.want {
			t.Errorf("answer %q: got %v, want %v", tt.input, got, tt.want)
		}
		if out.String() != "WARNING! Sure? [y/N] " {
			t.Errorf("answer %q: prompt %q", tt.input, out.String())
		}
	}
}
