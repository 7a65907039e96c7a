package oci

import (
	"bytes"
	"io"
	"os"
	"strings"
)

// lastWords passes an attached exec's output through to w, all but the
// runtime's own last words. runc reports a failure to start the process
// twice: as JSON into its --log, then once more as a plain line on its
// stderr — which, without a terminal, is the process's stderr too, and
// with one is the terminal. ExecContainer returns that failure as its
// error, so the copy on the stream would only repeat it. runc writes the
// log before it prints, so when a chunk ending in such a line arrives the
// log already holds the message.
type lastWords struct {
	w    io.Writer
	log  string   // the runtime's --log file
	size int64    // the log's size when msgs was read
	msgs []string // the errors logged so far
}

func newLastWords(w io.Writer, log string) *lastWords {
	return &lastWords{w: w, log: log, size: -1}
}

// Write passes p on without a last line that is a logged runtime error.
// It reports all of p as written, so the copy goes on.
func (l *lastWords) Write(p []byte) (int, error) {
	n := len(p)
	p = p[:l.keep(p)]
	if len(p) == 0 {
		return n, nil
	}
	if _, err := l.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// keep is how much of p to pass on: all of it, or all but its last line
// when that line ends in an error the runtime logged.
func (l *lastWords) keep(p []byte) int {
	if !bytes.HasSuffix(p, []byte("\n")) {
		return len(p)
	}
	start := bytes.LastIndexByte(p[:len(p)-1], '\n') + 1
	line := strings.TrimRight(string(p[start:]), "\r\n")
	if line == "" {
		return len(p)
	}
	for _, m := range l.logged() {
		if m != "" && strings.HasSuffix(line, m) {
			return start
		}
	}
	return len(p)
}

// logged is the runtime's logged errors, read again only when the log grew.
func (l *lastWords) logged() []string {
	fi, err := os.Stat(l.log)
	if err != nil || fi.Size() == l.size {
		return l.msgs
	}
	b, err := os.ReadFile(l.log)
	if err != nil {
		return l.msgs
	}
	l.size, l.msgs = int64(len(b)), runtimeMessages(b)
	return l.msgs
}
