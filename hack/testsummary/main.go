// Command testsummary reads `go test -json` on standard input and prints what
// a plain (non -v) `go test` would print — package ok/FAIL lines, build
// errors, and the full output of failing tests only — followed by counts of
// passed, failed and skipped tests, which plain `go test` does not give.
//
// Usage: go test -json ./... | testsummary -name unit [-min-passed 1]
//
// A final input line "##testsummary exit N" (see the Makefile) reports go
// test's own exit status, so a run that failed before any test (a bad flag,
// a broken go.mod) is a failure in the summary too, not "0 passed".
//
// It exits 1 when any test or package failed (or a build failed), so the
// verdict survives even without `set -o pipefail`; it never hides go test's
// own exit status when the caller uses pipefail.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json) output.
type event struct {
	Action     string
	Package    string
	ImportPath string // set on build-output / build-fail events
	Test       string
	Output     string
	Elapsed    float64
}

// counts tallies test results; subtests count as tests.
type counts struct {
	passed, failed, skipped int
	pkgOK, pkgFail, pkgNone int
	buildFail               int
	goExit                  int // go test's exit status, when reported
	tooFew                  bool
}

// exitMarker starts the line that reports go test's exit status.
const exitMarker = "##testsummary exit "

// summarizer holds per-test output until the test's verdict is known.
type summarizer struct {
	out           io.Writer
	pending       map[string][]string // key: package + "\x00" + test
	seenBuildFail map[string]bool
	counts        counts
	failures      []string
}

func newSummarizer(out io.Writer) *summarizer {
	return &summarizer{out: out, pending: map[string][]string{}, seenBuildFail: map[string]bool{}}
}

func key(pkg, test string) string { return pkg + "\x00" + test }

// isNoise reports whether a line is -v framing that plain go test omits.
func isNoise(line string) bool {
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	trim := strings.TrimSpace(line)
	return strings.HasPrefix(trim, "--- PASS:") || strings.HasPrefix(trim, "--- SKIP:") || trim == "PASS"
}

func (s *summarizer) handle(ev event) {
	switch ev.Action {
	case "build-output":
		fmt.Fprint(s.out, ev.Output)
	case "build-fail":
		// go reports a broken package once per package that imports it.
		if !s.seenBuildFail[ev.ImportPath] {
			s.seenBuildFail[ev.ImportPath] = true
			s.counts.buildFail++
			s.failures = append(s.failures, ev.ImportPath+" [build failed]")
		}
	case "output":
		if ev.Test == "" {
			if strings.HasPrefix(ev.Output, "FAIL") {
				// Show why before the package's FAIL verdict line.
				s.flushUnfinished(ev.Package)
			}
			if !isNoise(ev.Output) {
				fmt.Fprint(s.out, ev.Output)
			}
			return
		}
		if !isNoise(ev.Output) {
			k := key(ev.Package, ev.Test)
			s.pending[k] = append(s.pending[k], ev.Output)
		}
	case "pass", "skip", "fail":
		if ev.Test == "" {
			s.packageDone(ev)
			return
		}
		s.testDone(ev)
	}
}

func (s *summarizer) testDone(ev event) {
	k := key(ev.Package, ev.Test)
	switch ev.Action {
	case "pass":
		s.counts.passed++
	case "skip":
		s.counts.skipped++
		fmt.Fprintf(s.out, "--- SKIP: %s %s: %s\n", ev.Package, ev.Test, skipReason(s.pending[k]))
	case "fail":
		s.counts.failed++
		s.failures = append(s.failures, ev.Package+" "+ev.Test)
		for _, line := range s.pending[k] {
			fmt.Fprint(s.out, line)
		}
	}
	delete(s.pending, k)
}

// skipReason is the message of a skipped test's t.Skip: the last line of
// its output that a test wrote ("    x_test.go:12: why").
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		line := strings.TrimSpace(lines[i])
		if _, msg, ok := strings.Cut(line, ": "); ok && strings.Contains(line, "_test.go:") {
			return msg
		}
	}
	return "(no reason given)"
}

// packageDone counts a package's verdict and drops what is still pending.
func (s *summarizer) packageDone(ev event) {
	switch ev.Action {
	case "pass":
		s.counts.pkgOK++
	case "skip":
		s.counts.pkgNone++
	case "fail":
		s.counts.pkgFail++
		s.flushUnfinished(ev.Package)
	}
	s.drop(ev.Package)
}

// flushUnfinished prints the output of pkg's tests that never finished (a
// panic or a timeout kills the test binary mid-test), since that is where
// the cause is.
func (s *summarizer) flushUnfinished(pkg string) {
	for _, k := range s.keysOf(pkg) {
		fmt.Fprintf(s.out, "--- UNFINISHED: %s\n", strings.TrimPrefix(k, pkg+"\x00"))
		for _, line := range s.pending[k] {
			fmt.Fprint(s.out, line)
		}
		delete(s.pending, k)
	}
}

func (s *summarizer) drop(pkg string) {
	for _, k := range s.keysOf(pkg) {
		delete(s.pending, k)
	}
}

func (s *summarizer) keysOf(pkg string) []string {
	var keys []string
	for k := range s.pending {
		if strings.HasPrefix(k, pkg+"\x00") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func (s *summarizer) failed() bool {
	c := s.counts
	return c.failed > 0 || c.pkgFail > 0 || c.buildFail > 0 || c.goExit != 0 || c.tooFew
}

func (s *summarizer) report(name string, took time.Duration) {
	c := s.counts
	verdict := "PASS"
	if s.failed() {
		verdict = "FAIL"
	}
	fmt.Fprintf(s.out, "\n=== %s %s: %d passed, %d failed, %d skipped (subtests included); packages: %d ok, %d failed, %d without tests",
		name, verdict, c.passed, c.failed, c.skipped, c.pkgOK, c.pkgFail, c.pkgNone)
	if c.buildFail > 0 {
		fmt.Fprintf(s.out, ", %d build failures", c.buildFail)
	}
	if c.goExit != 0 {
		fmt.Fprintf(s.out, ", go test exited %d", c.goExit)
	}
	if c.tooFew {
		fmt.Fprintf(s.out, ", fewer tests passed than required")
	}
	fmt.Fprintf(s.out, "; %s\n", took.Round(time.Second))
	for _, f := range s.failures {
		fmt.Fprintf(s.out, "    FAILED: %s\n", f)
	}
}

// run summarizes the event stream in; it reports failure also when fewer than
// minPassed tests passed, so a suite that silently lost its tests fails.
func run(in io.Reader, out io.Writer, name string, minPassed int) (*summarizer, bool) {
	start := time.Now()
	s := newSummarizer(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if rest, ok := strings.CutPrefix(string(line), exitMarker); ok {
			if _, err := fmt.Sscanf(rest, "%d", &s.counts.goExit); err != nil {
				s.counts.goExit = -1
			}
			continue
		}
		var ev event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
			// Not an event: go's own errors (e.g. "no Go files") pass through.
			fmt.Fprintln(out, string(line))
			continue
		}
		s.handle(ev)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(out, "testsummary: reading input: %v\n", err)
		s.counts.pkgFail++
	}
	s.counts.tooFew = s.counts.passed < minPassed
	s.report(name, time.Since(start))
	return s, !s.failed()
}

func main() {
	name := flag.String("name", "tests", "label printed in the summary line")
	minPassed := flag.Int("min-passed", 1, "fail unless at least this many tests passed")
	tally := flag.String("tally", "", "append this run's counts to FILE, for -total")
	total := flag.String("total", "", "print the sum of the counts appended to FILE and exit")
	flag.Parse()
	if *total != "" {
		ok, err := printTotal(os.Stdout, *total)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(2)
		}
		if !ok {
			os.Exit(1)
		}
		return
	}
	s, ok := run(os.Stdin, os.Stdout, *name, *minPassed)
	if *tally != "" {
		if err := appendTally(*tally, s.counts, ok); err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			ok = false
		}
	}
	if !ok {
		os.Exit(1)
	}
}

// appendTally records one suite's counts as "passed failed skipped ok".
func appendTally(path string, c counts, ok bool) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	okInt := 0
	if ok {
		okInt = 1
	}
	_, err = fmt.Fprintf(f, "%d %d %d %d\n", c.passed, c.failed, c.skipped, okInt)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// printTotal prints every suite's counts added up, as the one plain line
// "total: N passed, N failed, N skipped" that ends a test run.
func printTotal(out io.Writer, path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var sum counts
	ok := true
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var p, f, sk, good int
		if n, _ := fmt.Sscanf(line, "%d %d %d %d", &p, &f, &sk, &good); n != 4 {
			return false, fmt.Errorf("bad tally line %q in %s", line, path)
		}
		sum.passed, sum.failed, sum.skipped = sum.passed+p, sum.failed+f, sum.skipped+sk
		ok = ok && good == 1
	}
	fmt.Fprintf(out, "total: %d passed, %d failed, %d skipped\n", sum.passed, sum.failed, sum.skipped)
	return ok, nil
}
