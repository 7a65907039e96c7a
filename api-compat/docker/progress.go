package docker

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/docker/docker/pkg/jsonmessage"
	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// jsonMessage is one message of Docker's streamed JSON progress format
// (pull, push, load, import, build), Docker's own type, which the CLI's
// jsonmessage package reads.
type jsonMessage = jsonmessage.JSONMessage

// auxMessage is an "aux" payload (a push's result, a build's image ID).
func auxMessage(v any) *json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	m := json.RawMessage(raw)
	return &m
}

// messageStream encodes messages onto a flushing response writer.
type messageStream struct {
	mu  sync.Mutex
	enc *json.Encoder
	// start, in a lazy stream, sends the 200 and gives the writer; it is
	// called with the first message.
	start func() io.Writer
}

func newMessageStream(w io.Writer) *messageStream {
	return &messageStream{enc: json.NewEncoder(w)}
}

// newLazyMessageStream is a stream whose 200 goes out with its first
// message: until then the request can still fail with an HTTP error, as
// Docker's pull does when the registry has no such manifest.
func newLazyMessageStream(w http.ResponseWriter, contentType string) *messageStream {
	return &messageStream{start: func() io.Writer { return streamResponse(w, contentType) }}
}

func (m *messageStream) send(msg jsonMessage) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.enc == nil {
		m.enc = json.NewEncoder(m.start())
	}
	return m.enc.Encode(msg)
}

// started reports whether the response is under way.
func (m *messageStream) started() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.enc != nil
}

func (m *messageStream) status(s string) error { return m.send(jsonMessage{Status: s}) }

// fail ends a stream whose 200 is already sent: Docker puts the error in
// the stream, where the CLI's jsonmessage reader turns it into its error.
func (m *messageStream) fail(err error) {
	msg := server.ErrorMessage(err)
	_ = m.send(jsonMessage{Error: &jsonmessage.JSONError{Message: msg}, ErrorMessage: msg})
}

// transferKind says which words a progressTranslator uses.
type transferKind int

const (
	kindPull transferKind = iota
	kindPush
)

// layerWords are Docker's per-layer states, by the engine's events.
type layerWords struct {
	start, read, done, skipped, complete string
}

var wordsFor = map[transferKind]layerWords{
	kindPull: {start: "Pulling fs layer", read: "Downloading", done: "Download complete", skipped: "Already exists", complete: "Pull complete"},
	kindPush: {start: "Preparing", read: "Pushing", done: "Pushed", skipped: "Layer already exists"},
}

// progressTranslator turns the engine's per-blob events (PullOptions and
// PushOptions OnLayer) into Docker's JSON messages, one id per layer (the
// digest's first 12 hex digits). The image's config is not a layer to
// Docker and is not shown. A pulled layer is "Download complete" once its
// blob is fetched and "Pull complete" when the pull succeeds, because
// containers/storage applies layers only as the image is committed.
type progressTranslator struct {
	mu      sync.Mutex
	words   layerWords
	send    func(jsonMessage) error
	seen    map[string]bool
	pending []string
	err     error
}

func newProgressTranslator(kind transferKind, send func(jsonMessage) error) *progressTranslator {
	return &progressTranslator{words: wordsFor[kind], send: send, seen: map[string]bool{}}
}

// onLayer is the engine's OnLayer callback. A failed send (the client went
// away) stops further messages; the transfer itself is ended by the
// request's context.
func (p *progressTranslator) onLayer(ev engine.LayerProgress) {
	if ev.Config {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return
	}
	id := shortDigest(ev.Digest)
	var msgs []jsonMessage
	empty := &jsonmessage.JSONProgress{}
	switch ev.Event {
	case engine.LayerStarted:
		if p.seen[id] {
			return
		}
		p.seen[id] = true
		msgs = append(msgs, jsonMessage{Status: p.words.start, Progress: empty, ID: id})
	case engine.LayerRead:
		d := &jsonmessage.JSONProgress{Current: ev.Offset}
		if ev.Total > 0 {
			d.Total = ev.Total
		}
		msgs = append(msgs, jsonMessage{Status: p.words.read, Progress: d, ID: id})
	case engine.LayerDone:
		msgs = append(msgs, jsonMessage{Status: p.words.done, Progress: empty, ID: id})
		if p.words.complete != "" {
			p.pending = append(p.pending, id)
		}
	case engine.LayerSkipped:
		if p.words.complete == "" && !p.seen[id] {
			// A push names every layer it prepares, pushed or not.
			msgs = append(msgs, jsonMessage{Status: p.words.start, Progress: empty, ID: id})
		}
		p.seen[id] = true
		msgs = append(msgs, jsonMessage{Status: p.words.skipped, Progress: empty, ID: id})
	}
	for _, m := range msgs {
		if p.err = p.send(m); p.err != nil {
			return
		}
	}
}

// finish completes, when the transfer succeeded, the layers fetched. After
// a failure they stay as they were, as Docker leaves them.
func (p *progressTranslator) finish(ok bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !ok || p.err != nil {
		return p.err
	}
	for _, id := range p.pending {
		if err := p.send(jsonMessage{Status: p.words.complete, Progress: &jsonmessage.JSONProgress{}, ID: id}); err != nil {
			return err
		}
	}
	p.pending = nil
	return nil
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
