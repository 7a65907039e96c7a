package wire

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		typ     FrameType
		payload []byte
	}{
		{"empty stdin EOF", FrameStdinEOF, nil},
		{"stdout", FrameStdout, []byte("hello\n")},
		{"binary stderr", FrameStderr, []byte{0, 1, 2, 255}},
		{"resize json", FrameResize, []byte(`{"h":24,"w":80}`)},
		{"largest", FrameStdin, bytes.Repeat([]byte("x"), MaxPayload)},
	}
	var buf bytes.Buffer
	for _, tt := range tests {
		if err := WriteFrame(&buf, tt.typ, tt.payload); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
	}
	for _, tt := range tests {
		f, err := ReadFrame(&buf)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if f.Type != tt.typ || !bytes.Equal(f.Payload, tt.payload) {
			t.Fatalf("%s: got %s frame of %d bytes, want %s of %d", tt.name, f.Type, len(f.Payload), tt.typ, len(tt.payload))
		}
	}
	if _, err := ReadFrame(&buf); !errors.Is(err, io.EOF) {
		t.Fatalf("at the end: %v, want io.EOF", err)
	}
}

func TestFrameWireFormat(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, FrameStderr, []byte("ab")); err != nil {
		t.Fatal(err)
	}
	if want := []byte{2, 0, 0, 0, 2, 'a', 'b'}; !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("encoded %v, want %v", buf.Bytes(), want)
	}
}

func TestReadFrameErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"truncated header", []byte{1, 0, 0}, io.ErrUnexpectedEOF},
		{"truncated payload", []byte{1, 0, 0, 0, 5, 'a'}, io.ErrUnexpectedEOF},
		{"header only, payload missing", []byte{1, 0, 0, 0, 1}, io.ErrUnexpectedEOF},
		{"too large", []byte{1, 0x7f, 0xff, 0xff, 0xff}, ErrFrameTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFrame(bytes.NewReader(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	if err := WriteFrame(io.Discard, FrameStdout, make([]byte, MaxPayload+1)); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("WriteFrame of an oversized payload: %v", err)
	}
}

// TestWriterSplitsAndSerializes checks that concurrent stream writes come
// out as whole frames, and that a large write is split, not refused.
func TestWriterSplitsAndSerializes(t *testing.T) {
	var buf bytes.Buffer
	fw := NewWriter(&buf)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			typ := FrameStdout
			if i%2 == 1 {
				typ = FrameStderr
			}
			w := fw.Stream(typ)
			for range 50 {
				if _, err := w.Write([]byte(strings.Repeat(string(rune('a'+i)), 100))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	big := bytes.Repeat([]byte("z"), MaxPayload+10)
	if n, err := fw.Stream(FrameStdout).Write(big); err != nil || n != len(big) {
		t.Fatalf("big write: %d, %v", n, err)
	}
	counts := map[byte]int{}
	var zs int
	for {
		f, err := ReadFrame(&buf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Payload[0] == 'z' {
			zs += len(f.Payload)
			continue
		}
		c := f.Payload[0]
		if len(f.Payload) != 100 || strings.Trim(string(f.Payload), string(c)) != "" {
			t.Fatalf("interleaved frame: %q", f.Payload)
		}
		if want := FrameType(1 + (c-'a')%2); f.Type != want {
			t.Fatalf("frame of %q has type %s, want %s", c, f.Type, want)
		}
		counts[c]++
	}
	for i := range 8 {
		if counts[byte('a'+i)] != 50 {
			t.Errorf("writer %d: %d frames, want 50", i, counts[byte('a'+i)])
		}
	}
	if zs != len(big) {
		t.Errorf("big write arrived as %d bytes, want %d", zs, len(big))
	}
}
