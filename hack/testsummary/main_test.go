package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		min     int
		ok      bool
		want    []string // substrings the output must have
		notWant []string // substrings it must not have
	}{
		{
			name: "passing package hides test output",
			input: `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:3: chatter\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Output":"PASS\n"}
{"Action":"output","Package":"p","Output":"ok  \tp\t0.01s\n"}
{"Action":"pass","Package":"p"}`,
			min:     1,
			ok:      true,
			want:    []string{"ok  \tp\t0.01s", "1 passed, 0 failed, 0 skipped", "1 ok, 0 failed"},
			notWant: []string{"chatter", "=== RUN", "FAILED"},
		},
		{
			name: "a skipped test is listed with its reason",
			input: `{"Action":"run","Package":"p","Test":"TestS/remote"}
{"Action":"output","Package":"p","Test":"TestS/remote","Output":"=== RUN   TestS/remote\n"}
{"Action":"output","Package":"p","Test":"TestS/remote","Output":"    h_test.go:40: $ skiff ps\n"}
{"Action":"output","Package":"p","Test":"TestS/remote","Output":"    s_test.go:7: local mode only: needs a terminal\n"}
{"Action":"output","Package":"p","Test":"TestS/remote","Output":"--- SKIP: TestS/remote (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestS/remote"}
{"Action":"pass","Package":"p"}`,
			ok:      true,
			want:    []string{"--- SKIP: p TestS/remote: local mode only: needs a terminal\n", "0 passed, 0 failed, 1 skipped"},
			notWant: []string{"$ skiff ps"},
		},
		{
			name: "failing test shows its output and is listed",
			input: `{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: boom\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"--- FAIL: TestB (0.00s)\n"}
{"Action":"fail","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.01s\n"}
{"Action":"fail","Package":"p"}`,
			ok:   false,
			want: []string{"b_test.go:9: boom", "--- FAIL: TestB", "FAILED: p TestB", "0 passed, 1 failed"},
		},
		{
			name: "timeout flushes unfinished test before the verdict",
			input: `{"Action":"run","Package":"p","Test":"TestHang"}
{"Action":"output","Package":"p","Test":"TestHang","Output":"panic: test timed out after 2s\n"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t2.00s\n"}
{"Action":"fail","Package":"p"}`,
			ok:   false,
			want: []string{"--- UNFINISHED: TestHang\npanic: test timed out after 2s\nFAIL\tp"},
		},
		{
			name: "build failure counts as failure",
			input: `{"ImportPath":"p [p.test]","Action":"build-output","Output":"p/x.go:1: undefined: y\n"}
{"ImportPath":"p [p.test]","Action":"build-fail"}
{"Action":"output","Package":"p","Output":"FAIL\tp [build failed]\n"}
{"Action":"fail","Package":"p"}`,
			ok:   false,
			want: []string{"undefined: y", "1 build failures", "FAILED: p [p.test] [build failed]"},
		},
		{
			name:  "go test failing before any test is a failure",
			input: "go: unknown flag -bogus\n##testsummary exit 2\n",
			ok:    false,
			want:  []string{"unknown flag -bogus", "go test exited 2", "unit FAIL"},
		},
		{
			name:    "zero exit marker changes nothing",
			input:   "##testsummary exit 0\n",
			ok:      true,
			want:    []string{"unit PASS"},
			notWant: []string{"##testsummary", "exited"},
		},
		{
			name:  "no tests at all fails when some are required",
			input: "go: warning: \"./test/e2e/...\" matched no packages\n##testsummary exit 0\n",
			min:   1,
			ok:    false,
			want:  []string{"fewer tests passed than required", "unit FAIL"},
		},
		{
			name:  "non-JSON lines pass through",
			input: "go: warning: \"./rootless/...\" matched no packages\n",
			ok:    true,
			want:  []string{"matched no packages", "0 passed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if _, got := run(strings.NewReader(tt.input), &out, "unit", tt.min); got != tt.ok {
				t.Errorf("run() = %v, want %v; output:\n%s", got, tt.ok, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
		})
	}
}
