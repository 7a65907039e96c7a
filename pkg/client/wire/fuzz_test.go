package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

// FuzzReadFrame feeds arbitrary bytes to the frame decoder, as a broken
// or hostile peer would: it must never panic or allocate past MaxPayload,
// and what it decodes must encode back to the same bytes.
func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 2, 'h', 'i'})
	f.Add([]byte{6, 0, 0, 0, 2, '{', '}'})
	f.Add([]byte{4, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{3, 0, 0, 0, 0, 1, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		var out bytes.Buffer
		for {
			fr, err := ReadFrame(r)
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrFrameTooLarge) {
					t.Fatalf("unexpected error %v", err)
				}
				break
			}
			if len(fr.Payload) > MaxPayload {
				t.Fatalf("payload of %d bytes", len(fr.Payload))
			}
			if err := WriteFrame(&out, fr.Type, fr.Payload); err != nil {
				t.Fatal(err)
			}
			if fr.Type == FrameResult {
				// The client decodes results; a bad one must be an error.
				var res Result
				if json.Unmarshal(fr.Payload, &res) == nil {
					_ = res.Error.Err()
				}
			}
		}
		if !bytes.HasPrefix(data, out.Bytes()) {
			t.Fatalf("re-encoding differs: %x vs %x", out.Bytes(), data)
		}
	})
}
