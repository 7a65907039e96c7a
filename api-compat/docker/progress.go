package docker

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync"
)

// jsonMessage is one message of Docker's streamed JSON progress format
// (pull, push, load, import), as the CLI's jsonmessage package reads it.
type jsonMessage struct {
	Stream         string           `json:"stream,omitempty"`
	Status         string           `json:"status,omitempty"`
	ProgressDetail *progressDetail  `json:"progressDetail,omitempty"`
	ID             string           `json:"id,omitempty"`
	ErrorDetail    *jsonErrorDetail `json:"errorDetail,omitempty"`
	Error          string           `json:"error,omitempty"`
	Aux            any              `json:"aux,omitempty"`
}

// progressDetail is always sent empty: plain lines carry no byte counts.
type progressDetail struct{}

type jsonErrorDetail struct {
	Message string `json:"message"`
}

// messageStream encodes messages onto a flushing response writer.
type messageStream struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newMessageStream(w io.Writer) *messageStream {
	return &messageStream{enc: json.NewEncoder(w)}
}

func (m *messageStream) send(msg jsonMessage) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.enc.Encode(msg)
}

func (m *messageStream) status(s string) error { return m.send(jsonMessage{Status: s}) }

// fail ends a stream whose 200 is already sent: Docker puts the error in
// the stream, where the CLI's jsonmessage reader turns it into its error.
func (m *messageStream) fail(err error) {
	_ = m.send(jsonMessage{ErrorDetail: &jsonErrorDetail{Message: err.Error()}, Error: err.Error()})
}

// transferKind says which words a progressTranslator uses.
type transferKind int

const (
	kindPull transferKind = iota
	kindPush
)

// layerWords are Docker's per-layer states a translator can honestly
// derive from containers/image's plain lines: a layer is started when its
// "Copying blob" line appears and complete once the copy moves on to the
// config or the manifest, which containers/image does only after every
// layer is done. Byte progress and "Already exists" are not in the lines
// (the bars that would carry them are drawn only on a terminal).
var layerWords = map[transferKind][2]string{
	kindPull: {"Pulling fs layer", "Pull complete"},
	kindPush: {"Preparing", "Pushed"},
}

// progressTranslator is the io.Writer handed to the engine's Pull/Push: it
// turns containers/image's lines ("Copying blob sha256:…", "Copying config
// sha256:…", "Writing manifest to image destination") into Docker's JSON
// messages, one id per layer (the digest's first 12 hex digits).
type progressTranslator struct {
	mu      sync.Mutex
	kind    transferKind
	send    func(jsonMessage) error
	buf     []byte
	seen    map[string]bool
	pending []string
}

func newProgressTranslator(kind transferKind, send func(jsonMessage) error) *progressTranslator {
	return &progressTranslator{kind: kind, send: send, seen: map[string]bool{}}
}

// Write takes any chunking of the lines; a partial line waits for its end.
func (p *progressTranslator) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimSpace(string(p.buf[:i]))
		p.buf = p.buf[i+1:]
		if err := p.line(line); err != nil {
			return len(b), err
		}
	}
	return len(b), nil
}

func (p *progressTranslator) line(line string) error {
	switch {
	case strings.HasPrefix(line, "Copying blob "):
		f := strings.Fields(line)
		if len(f) < 3 {
			return nil
		}
		id := shortDigest(f[2])
		if p.seen[id] {
			return nil
		}
		p.seen[id] = true
		p.pending = append(p.pending, id)
		return p.send(jsonMessage{Status: layerWords[p.kind][0], ProgressDetail: &progressDetail{}, ID: id})
	case strings.HasPrefix(line, "Copying config "), strings.HasPrefix(line, "Writing manifest"):
		return p.completeAll()
	}
	return nil
}

func (p *progressTranslator) completeAll() error {
	for _, id := range p.pending {
		if err := p.send(jsonMessage{Status: layerWords[p.kind][1], ProgressDetail: &progressDetail{}, ID: id}); err != nil {
			return err
		}
	}
	p.pending = nil
	return nil
}

// finish handles an unterminated last line and, when the transfer
// succeeded, completes layers still open. After a failure they stay open,
// as Docker leaves them.
func (p *progressTranslator) finish(ok bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.buf) > 0 {
		line := strings.TrimSpace(string(p.buf))
		p.buf = nil
		if err := p.line(line); err != nil {
			return err
		}
	}
	if !ok {
		return nil
	}
	return p.completeAll()
}

// shortDigest is Docker's layer id: the first 12 hex digits of a digest.
func shortDigest(d string) string {
	if _, hex, ok := strings.Cut(d, ":"); ok {
		d = hex
	}
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
