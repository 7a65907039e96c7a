package logs

import (
	"bytes"
	"errors"
	"time"
)

// Line is one line of container output. Text holds the joined fragments of
// the line and ends in "\n" unless the line was never finished (the
// container exited, or following stopped, in the middle of it).
type Line struct {
	Time   time.Time // time of the line's first fragment
	Stream string    // "stdout" or "stderr"
	Text   string
}

// dockerTimeFormat is RFC3339Nano with fixed nine fraction digits, which is
// what `docker logs -t` prints (time.RFC3339Nano trims trailing zeros).
const dockerTimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// FormatLine renders l for output. With timestamps, the line is prefixed as
// `docker logs -t` does: the time in UTC with nine fraction digits.
func FormatLine(l Line, timestamps bool) string {
	if !timestamps {
		return l.Text
	}
	return l.Time.UTC().Format(dockerTimeFormat) + " " + l.Text
}

// record is one parsed k8s-file record.
type record struct {
	time    time.Time
	stream  string
	partial bool
	text    []byte // aliases the input buffer
}

var errBadRecord = errors.New("malformed k8s-file record")

// parseRecord parses one record without its trailing newline.
func parseRecord(b []byte) (record, error) {
	ts, rest, ok := bytes.Cut(b, []byte{' '})
	if !ok {
		return record{}, errBadRecord
	}
	t, err := time.Parse(time.RFC3339Nano, string(ts))
	if err != nil {
		return record{}, errBadRecord
	}
	stream, rest, ok := bytes.Cut(rest, []byte{' '})
	if !ok {
		return record{}, errBadRecord
	}
	// The text may be empty, and then the separator after the tag may be
	// missing too. A tag may carry ":"-separated extras after P or F.
	tag, text, _ := bytes.Cut(rest, []byte{' '})
	if len(tag) == 0 || (tag[0] != 'P' && tag[0] != 'F') {
		return record{}, errBadRecord
	}
	return record{time: t, stream: internStream(stream), partial: tag[0] == 'P', text: text}, nil
}

// recordTag returns a record's stream and whether it is an F record; it is
// the cheap check the backward tail scan needs (the time is not parsed).
func recordTag(b []byte) (stream []byte, full, ok bool) {
	_, rest, ok := bytes.Cut(b, []byte{' '})
	if !ok {
		return nil, false, false
	}
	stream, rest, ok = bytes.Cut(rest, []byte{' '})
	if !ok || len(rest) == 0 || (rest[0] != 'P' && rest[0] != 'F') {
		return nil, false, false
	}
	return stream, rest[0] == 'F', true
}

func internStream(b []byte) string {
	switch string(b) {
	case "stdout":
		return "stdout"
	case "stderr":
		return "stderr"
	}
	return string(b)
}

// Driver is the name of the log format as inspect and info report it
// (Docker's LogConfig.Type and LoggingDriver).
const Driver = "k8s-file"
