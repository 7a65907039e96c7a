package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// FrameType says what a frame's payload is.
type FrameType byte

// The frame types of a native stream; see the package documentation.
const (
	FrameStdin    FrameType = 0
	FrameStdout   FrameType = 1
	FrameStderr   FrameType = 2
	FrameStdinEOF FrameType = 3
	FrameResize   FrameType = 4
	FrameEvent    FrameType = 5
	FrameResult   FrameType = 6
	FrameSignal   FrameType = 7
)

// MaxPayload bounds one frame, so a corrupt length cannot make a peer
// allocate gigabytes.
const MaxPayload = 1 << 20

// headerLen is the type byte plus the length.
const headerLen = 5

// ErrFrameTooLarge is returned for a frame longer than MaxPayload.
var ErrFrameTooLarge = errors.New("frame larger than the protocol allows")

func (t FrameType) String() string {
	switch t {
	case FrameStdin:
		return "stdin"
	case FrameStdout:
		return "stdout"
	case FrameStderr:
		return "stderr"
	case FrameStdinEOF:
		return "stdin-eof"
	case FrameResize:
		return "resize"
	case FrameEvent:
		return "event"
	case FrameSignal:
		return "signal"
	case FrameResult:
		return "result"
	}
	return fmt.Sprintf("frame-%d", byte(t))
}

// Frame is one decoded frame.
type Frame struct {
	Type    FrameType
	Payload []byte
}

// WriteFrame writes one frame to w. Callers sharing w between goroutines use
// a Writer instead.
func WriteFrame(w io.Writer, t FrameType, payload []byte) error {
	if len(payload) > MaxPayload {
		return ErrFrameTooLarge
	}
	var hdr [headerLen]byte
	hdr[0] = byte(t)
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// ReadFrame reads one frame from r. It returns io.EOF only when the stream
// ends cleanly between frames, io.ErrUnexpectedEOF inside one.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > MaxPayload {
		return Frame{}, fmt.Errorf("%s frame of %d bytes: %w", FrameType(hdr[0]), n, ErrFrameTooLarge)
	}
	f := Frame{Type: FrameType(hdr[0]), Payload: make([]byte, n)}
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	return f, nil
}

// Writer writes whole frames to a buffered connection from any number of
// goroutines, flushing after each so that output reaches the peer at once.
type Writer struct {
	mu sync.Mutex
	w  *bufio.Writer
}

// NewWriter wraps w.
func NewWriter(w io.Writer) *Writer {
	if bw, ok := w.(*bufio.Writer); ok {
		return &Writer{w: bw}
	}
	return &Writer{w: bufio.NewWriter(w)}
}

// Frame writes and flushes one frame, splitting payloads longer than
// MaxPayload into several frames of the same type.
func (fw *Writer) Frame(t FrameType, payload []byte) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	for {
		n := min(len(payload), MaxPayload)
		if err := WriteFrame(fw.w, t, payload[:n]); err != nil {
			return err
		}
		payload = payload[n:]
		if len(payload) == 0 {
			break
		}
	}
	return fw.w.Flush()
}

// Stream returns an io.Writer whose writes become frames of type t, for use
// as a container's stdout or stderr.
func (fw *Writer) Stream(t FrameType) io.Writer { return streamWriter{fw: fw, t: t} }

type streamWriter struct {
	fw *Writer
	t  FrameType
}

func (s streamWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := s.fw.Frame(s.t, p); err != nil {
		return 0, err
	}
	return len(p), nil
}
