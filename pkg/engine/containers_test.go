package engine

import "testing"

func TestTailLines(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"3", 3},
		{"0", 0},
		{"all", -1},
		{"", -1},
		{"-1", -1},
		{"-5", -1},
		{"x", -1},
		{"1.5", -1},
	}
	for _, tt := range tests {
		if got := TailLines(tt.in); got != tt.want {
			t.Errorf("TailLines(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
