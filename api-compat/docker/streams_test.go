package docker

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/http"
	"testing"

	"github.com/docker/docker/pkg/stdcopy"
)

// TestDemuxFraming checks the bytes on the wire against Docker's framing:
// an 8-byte header [stream, 0, 0, 0, big-endian length] per write without a
// TTY, raw bytes with one; and that Docker's own decoder splits them back.
func TestDemuxFraming(t *testing.T) {
	var buf bytes.Buffer
	out := &lockedWriter{w: &buf}
	o, e := demux(out, false)
	io.WriteString(o, "hello\n")
	io.WriteString(e, "oops\n")
	want := []byte{1, 0, 0, 0}
	want = binary.BigEndian.AppendUint32(want, 6)
	want = append(want, "hello\n"...)
	want = append(want, 2, 0, 0, 0)
	want = binary.BigEndian.AppendUint32(want, 5)
	want = append(want, "oops\n"...)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("wire bytes\n got %v\nwant %v", buf.Bytes(), want)
	}
	var so, se bytes.Buffer
	if _, err := stdcopy.StdCopy(&so, &se, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if so.String() != "hello\n" || se.String() != "oops\n" {
		t.Fatalf("demuxed stdout %q stderr %q", so.String(), se.String())
	}

	buf.Reset()
	o, e = demux(out, true)
	io.WriteString(o, "a")
	io.WriteString(e, "b")
	if buf.String() != "ab" {
		t.Fatalf("tty stream = %q, want raw %q", buf.String(), "ab")
	}
}

func TestStreamMediaType(t *testing.T) {
	tests := []struct {
		version string
		tty     bool
		want    string
	}{
		{"1.51", false, mediaMultiplexed},
		{"1.42", false, mediaMultiplexed},
		{"1.41", false, mediaRaw},
		{"1.51", true, mediaRaw},
	}
	for _, tt := range tests {
		if got := streamMediaType(tt.version, tt.tty); got != tt.want {
			t.Errorf("streamMediaType(%q, %v) = %q, want %q", tt.version, tt.tty, got, tt.want)
		}
	}
}

// TestRoutesRegister puts every route on a real ServeMux: overlapping
// patterns would panic there, as they would in the server.
func TestRoutesRegister(t *testing.T) {
	mux := http.NewServeMux()
	for _, r := range Routes(nil) {
		mux.HandleFunc(r.Method+" "+r.Pattern, r.Handler)
	}
	for path, want := range map[string]string{
		"GET /images/json":                          "/images/json",
		"GET /images/localhost/busybox:latest/json": "/images/{rest...}",
		"POST /images/create":                       "/images/create",
		"POST /images/a/b:c/tag":                    "/images/{rest...}",
		"DELETE /containers/web":                    "/containers/{id}",
		"GET /containers/json":                      "/containers/json",
	} {
		method, p, _ := bytes.Cut([]byte(path), []byte(" "))
		req, _ := http.NewRequest(string(method), "http://x"+string(p), nil)
		_, pattern := mux.Handler(req)
		if want := string(method) + " " + want; pattern != want {
			t.Errorf("%s routed to %q, want %q", path, pattern, want)
		}
	}
}
