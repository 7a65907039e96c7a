package logs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	zone = time.FixedZone("", 3600) // conmon writes local time with an offset
	t0   = time.Date(2024, 1, 2, 3, 4, 5, 123456789, zone)
)

// rec renders one k8s-file record the way conmon does.
func rec(t time.Time, stream, tag, text string) string {
	return t.Format(dockerTimeFormat) + " " + stream + " " + tag + " " + text + "\n"
}

// at returns t0 plus i seconds.
func at(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }

func writeLog(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ctr.log")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func appendLog(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

// readAll runs a non-following Read and returns the emitted texts.
func readAll(t *testing.T, path string, opts Options) []Line {
	t.Helper()
	var got []Line
	err := Read(context.Background(), path, opts, nil, func(l Line) error {
		got = append(got, l)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return got
}

func texts(ls []Line) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.Stream+":"+l.Text)
	}
	return out
}

func TestParseRecord(t *testing.T) {
	tests := []struct {
		in      string
		want    record
		wantErr bool
	}{
		{in: "2024-01-02T03:04:05.123456789+01:00 stdout F hello world",
			want: record{time: t0, stream: "stdout", text: []byte("hello world")}},
		{in: "2024-01-02T03:04:05.123456789+01:00 stderr P  two  spaces ",
			want: record{time: t0, stream: "stderr", partial: true, text: []byte(" two  spaces ")}},
		{in: "2024-01-02T03:04:05.123456789+01:00 stdout F ", want: record{time: t0, stream: "stdout", text: []byte{}}},
		{in: "2024-01-02T03:04:05.123456789+01:00 stdout F", want: record{time: t0, stream: "stdout"}},
		{in: "2024-01-02T03:04:05.123456789+01:00 stdout F:extra x", want: record{time: t0, stream: "stdout", text: []byte("x")}},
		{in: "2024-01-02T03:04:05.123456789+01:00 stdout X hi", wantErr: true},
		{in: "yesterday stdout F hi", wantErr: true},
		{in: "2024-01-02T03:04:05.123456789+01:00", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRecord([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !got.time.Equal(tt.want.time) || got.stream != tt.want.stream || got.partial != tt.want.partial ||
				string(got.text) != string(tt.want.text) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestReadConmonSamples reads files written by conmon 2.1.6 (see testdata):
// basic output, an empty line, a line split into P records by conmon's
// 8 KiB buffer, and output that ended without a newline.
func TestReadConmonSamples(t *testing.T) {
	basic := readAll(t, "testdata/conmon-basic.log", Options{Tail: -1})
	wantBasic := []string{"stdout:hello\n", "stdout:partial-no-newline\n", "stderr:err\n",
		"stdout:" + strings.Repeat("0", 5000) + "\n", "stdout:\n", "stdout:tail-unterminated"}
	if got := texts(basic); !reflect.DeepEqual(got, wantBasic) {
		t.Fatalf("basic sample:\n got %.200q\nwant %.200q", got, wantBasic)
	}
	if want := time.Date(2026, 11, 23, 17, 54, 50, 357687293, time.UTC); !basic[0].Time.Equal(want) {
		t.Fatalf("first time = %v, want %v", basic[0].Time, want)
	}

	long := readAll(t, "testdata/conmon-long.log", Options{Tail: 2})
	wantLong := []string{"stdout:line-2\n", "stdout:end\n"}
	if got := texts(long); !reflect.DeepEqual(got, wantLong) {
		t.Fatalf("long sample tail 2 = %q, want %q", got, wantLong)
	}
	all := readAll(t, "testdata/conmon-long.log", Options{Tail: -1})
	if len(all) != 4 || all[0].Text != strings.Repeat("x", 20000)+"\n" || all[1].Text != "line-1\n" {
		t.Fatalf("long sample: %d lines, first %d bytes", len(all), len(all[0].Text))
	}
	first := readAll(t, "testdata/conmon-long.log", Options{Tail: 4})
	if len(first) != 4 || first[0].Text != all[0].Text || !first[0].Time.Equal(all[0].Time) {
		t.Fatal("tail 5 did not include the whole joined first line")
	}
}

// fixture: three complete lines (one split over P records), interleaved
// streams, and a line still in progress.
var fixture = rec(at(0), "stdout", "F", "one") +
	rec(at(1), "stdout", "P", "tw") +
	rec(at(2), "stderr", "F", "err") +
	rec(at(3), "stdout", "F", "o") +
	rec(at(4), "stdout", "F", "three") +
	rec(at(5), "stdout", "P", "unfinished")

func TestReadTail(t *testing.T) {
	path := writeLog(t, fixture)
	tests := []struct {
		tail int
		want []string
	}{
		{0, []string{}},
		{1, []string{"stdout:three\n", "stdout:unfinished"}},
		{2, []string{"stdout:two\n", "stdout:three\n", "stdout:unfinished"}},
		{3, []string{"stderr:err\n", "stdout:two\n", "stdout:three\n", "stdout:unfinished"}},
		{4, []string{"stdout:one\n", "stderr:err\n", "stdout:two\n", "stdout:three\n", "stdout:unfinished"}},
		{100, []string{"stdout:one\n", "stderr:err\n", "stdout:two\n", "stdout:three\n", "stdout:unfinished"}},
		{-1, []string{"stdout:one\n", "stderr:err\n", "stdout:two\n", "stdout:three\n", "stdout:unfinished"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.tail), func(t *testing.T) {
			if got := texts(readAll(t, path, Options{Tail: tt.tail})); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestReadTailLargeFile crosses tailChunk boundaries and has a record
// being written (no newline yet) at the end.
func TestReadTailLargeFile(t *testing.T) {
	var b strings.Builder
	const n = 20000
	for i := 0; i < n; i++ {
		b.WriteString(rec(at(i), "stdout", "F", fmt.Sprintf("line %d", i)))
	}
	b.WriteString(strings.TrimSuffix(rec(at(n), "stdout", "F", "half-writ"), "\n"))
	path := writeLog(t, b.String())
	for _, tail := range []int{1, 10, 5000, n - 1, n, n + 1} {
		got := readAll(t, path, Options{Tail: tail})
		want := min(tail, n)
		if len(got) != want || got[0].Text != fmt.Sprintf("line %d\n", n-want) || got[len(got)-1].Text != fmt.Sprintf("line %d\n", n-1) {
			t.Fatalf("tail %d: %d lines, first %q", tail, len(got), got[0].Text)
		}
	}
}

func TestReadSinceUntil(t *testing.T) {
	path := writeLog(t, fixture)
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"since", Options{Tail: -1, Since: at(2)}, []string{"stderr:err\n", "stdout:three\n", "stdout:unfinished"}},
		{"since uses the first fragment's time", Options{Tail: -1, Since: at(1)},
			[]string{"stderr:err\n", "stdout:two\n", "stdout:three\n", "stdout:unfinished"}},
		{"until", Options{Tail: -1, Until: at(2)}, []string{"stdout:one\n", "stderr:err\n", "stdout:two\n"}},
		{"both", Options{Tail: -1, Since: at(1), Until: at(3)}, []string{"stderr:err\n", "stdout:two\n"}},
		{"tail then since", Options{Tail: 2, Since: at(4)}, []string{"stdout:three\n", "stdout:unfinished"}},
		{"nothing", Options{Tail: -1, Since: at(10)}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texts(readAll(t, path, tt.opts)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	err := Read(context.Background(), filepath.Join(t.TempDir(), "none.log"), Options{Tail: -1}, nil,
		func(Line) error { return nil })
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	stop := errors.New("client went away")
	calls := 0
	err = Read(context.Background(), writeLog(t, fixture), Options{Tail: -1}, nil, func(Line) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("emit error: err = %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func TestFormatLine(t *testing.T) {
	tests := []struct {
		l          Line
		timestamps bool
		want       string
	}{
		{Line{Time: t0, Text: "hi\n"}, false, "hi\n"},
		{Line{Time: t0, Text: "hi\n"}, true, "2024-01-02T02:04:05.123456789Z hi\n"},
		{Line{Time: time.Date(2024, 1, 2, 3, 4, 5, 100000000, time.UTC), Text: "x"}, true, "2024-01-02T03:04:05.100000000Z x"},
	}
	for _, tt := range tests {
		if got := FormatLine(tt.l, tt.timestamps); got != tt.want {
			t.Errorf("FormatLine(%+v, %v) = %q, want %q", tt.l, tt.timestamps, got, tt.want)
		}
	}
}
