package image

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/containers/common/libimage"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/types"
	"golang.org/x/term"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// reporter is how one copy reports its progress. A terminal gets
// containers/image's bars, which already say when a blob is skipped. Any
// other writer gets containers/image's lines with the per-blob ones
// redrawn from its progress channel, because its own plain "Copying blob"
// line is printed before it knows the blob is already there. onLayer,
// when set, is told every step (the Docker API draws its own messages).
type reporter struct {
	mu      sync.Mutex // orders writes to out from the filter and the channel
	out     io.Writer
	onLayer func(engine.LayerProgress)
	filter  *blobLineFilter
	ch      chan types.ProgressProperties
	done    chan struct{}
}

// attachProgress sets o's Writer and progress channel for a copy and
// returns the reporter to close once the copy has returned.
func attachProgress(o *libimage.CopyOptions, progress io.Writer, onLayer func(engine.LayerProgress)) *reporter {
	r := &reporter{onLayer: onLayer}
	plain := progress != nil && !isTerminal(progress)
	switch {
	case plain:
		r.out = progress
		r.filter = &blobLineFilter{r: r}
		o.Writer = r.filter
	case progress != nil:
		o.Writer = progress
	}
	if !plain && onLayer == nil {
		return r
	}
	// containers/image sends on the channel synchronously and never closes
	// it; it is drained until close.
	r.ch = make(chan types.ProgressProperties)
	r.done = make(chan struct{})
	o.Progress = r.ch
	go r.consume()
	return r
}

// close ends the reporting; the copy must have returned.
func (r *reporter) close() {
	if r.ch != nil {
		close(r.ch)
		<-r.done
	}
	if r.filter != nil {
		r.filter.flush()
	}
}

func (r *reporter) consume() {
	defer close(r.done)
	for p := range r.ch {
		ev := layerProgress(p)
		if ev.Event == "" {
			continue
		}
		if r.onLayer != nil {
			r.onLayer(ev)
		}
		if r.out != nil {
			r.plainLine(ev)
		}
	}
}

// plainLine writes containers/image's own wording for the steps it would
// have printed: the start of a copy, and a skip.
func (r *reporter) plainLine(ev engine.LayerProgress) {
	kind := "blob"
	if ev.Config {
		kind = "config"
	}
	var line string
	switch ev.Event {
	case engine.LayerStarted:
		line = fmt.Sprintf("Copying %s %s\n", kind, ev.Digest)
	case engine.LayerSkipped:
		line = fmt.Sprintf("Copying %s %s skipped: already exists\n", kind, ev.Digest)
	default:
		return
	}
	r.write([]byte(line))
}

func (r *reporter) write(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = r.out.Write(b)
}

// layerProgress translates containers/image's event; unknown ones have an
// empty Event.
func layerProgress(p types.ProgressProperties) engine.LayerProgress {
	ev := engine.LayerProgress{
		Digest: p.Artifact.Digest.String(),
		Config: isConfigType(p.Artifact.MediaType),
		Offset: int64(p.Offset),
		Total:  p.Artifact.Size,
	}
	switch p.Event {
	case types.ProgressEventNewArtifact:
		ev.Event = engine.LayerStarted
	case types.ProgressEventRead:
		ev.Event = engine.LayerRead
	case types.ProgressEventDone:
		ev.Event = engine.LayerDone
	case types.ProgressEventSkipped:
		ev.Event = engine.LayerSkipped
	}
	return ev
}

func isConfigType(mediaType string) bool {
	return mediaType == manifest.DockerV2Schema2ConfigMediaType || strings.HasSuffix(mediaType, ".config.v1+json")
}

// blobLineFilter passes containers/image's lines through, except the
// per-blob and config ones, which the reporter redraws from the channel.
// Layers are copied concurrently, so writes come from several goroutines.
type blobLineFilter struct {
	r   *reporter
	mu  sync.Mutex
	buf []byte
}

func (f *blobLineFilter) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = append(f.buf, b...)
	for {
		i := bytes.IndexByte(f.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := f.buf[:i+1]
		if !isBlobLine(line) {
			f.r.write(line)
		}
		f.buf = f.buf[i+1:]
	}
}

// flush writes an unterminated last line.
func (f *blobLineFilter) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.buf) > 0 && !isBlobLine(f.buf) {
		f.r.write(f.buf)
	}
	f.buf = nil
}

func isBlobLine(line []byte) bool {
	return bytes.HasPrefix(line, []byte("Copying blob ")) || bytes.HasPrefix(line, []byte("Copying config "))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
