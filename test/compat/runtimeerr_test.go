package compat

import (
	"strings"
	"testing"
)

// TestCLIRuntimeErrors checks what the docker CLI makes of a command the
// OCI runtime cannot run: Docker's exit codes (127 missing, 126 not
// runnable) and the runtime's reason said once. exec's error is Docker's
// own form, "OCI runtime exec failed: ..." alone on its line; run's is the
// CLI's "docker: Error response from daemon: ..." with nothing else
// relayed on the container's streams.
func TestCLIRuntimeErrors(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "rterr")
		md.rmf(t, name)
		md.must(t, "run", "-d", "--name", name, image, "sleep", "1000")

		const missing = `stat /nonexistent: no such file or directory`
		cases := []struct {
			args   []string
			code   int
			reason string
			prefix string // how the only line starts
		}{
			{[]string{"exec", name, "/nonexistent"}, 127, missing, "OCI runtime exec failed: "},
			{[]string{"exec", name, "/etc/passwd"}, 126, `"/etc/passwd": permission denied`, "OCI runtime exec failed: "},
			{[]string{"run", "--rm", image, "/nonexistent"}, 127, missing, "docker: Error response from daemon: "},
			{[]string{"run", "--rm", image, "/etc"}, 126, `"/etc": permission denied`, "docker: Error response from daemon: "},
		}
		for _, c := range cases {
			r := md.docker(t, nil, c.args...)
			wantCode(t, r, c.code)
			if n := strings.Count(r.stdout+r.stderr, c.reason); n != 1 {
				t.Errorf("want the runtime's reason %q once, got it %d times: %s", c.reason, n, r)
			}
			if lines := errorLines(r.stderr); len(lines) != 1 || !strings.HasPrefix(lines[0], c.prefix) {
				t.Errorf("want one error line starting %q, got %q: %s", c.prefix, lines, r)
			}
		}
	})
}

// errorLines are stderr's non-empty lines, without the CLI's hint to see
// a command's --help.
func errorLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "Run 'docker ") {
			out = append(out, l)
		}
	}
	return out
}
