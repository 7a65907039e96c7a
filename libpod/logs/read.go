package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"syscall"
	"time"
)

// Options selects which lines Read emits.
type Options struct {
	// Follow keeps reading data appended to the file until done reports
	// true and everything written before that has been emitted.
	Follow bool
	// Tail limits output to the last Tail complete lines present when
	// reading starts (<0: all). It is applied before Since and Until, as
	// Docker and Podman do.
	Tail int
	// Since and Until, when set, drop lines whose time is before Since or
	// after Until. Following stops at the first line after Until.
	Since, Until time.Time
}

// pollInterval is how often a follower checks the file for new data.
// Polling (rather than inotify) keeps rotation and a not-yet-created file
// simple and costs one read and one stat per interval.
const pollInterval = 50 * time.Millisecond

// readChunk is the read buffer size; conmon's records are at most ~8 KiB.
const readChunk = 32 << 10

// Read reads the k8s-file log at path and calls emit for each line opts
// selects, in file order. Fragments are joined per stream before emitting.
//
// Without Follow, a missing file is an error wrapping fs.ErrNotExist. With
// Follow, Read waits for the file to appear, picks up appended data and a
// file replaced by rename (log rotation) or truncated, and returns nil once
// done() has reported true and the data written until then is drained; a
// nil done never reports true, so only ctx ends the follow. A line left
// unfinished at the end is emitted without its trailing newline.
//
// Read returns emit's error if emit fails, and ctx's error if ctx ends first.
func Read(ctx context.Context, path string, opts Options, done func() bool, emit func(Line) error) error {
	if done == nil {
		done = func() bool { return false }
	}
	if opts.Tail == 0 && !opts.Follow {
		return nil
	}
	f, err := openLog(ctx, path, opts.Follow, done)
	if err != nil || f == nil {
		return err
	}
	defer func() { f.Close() }()
	skip := 0
	if opts.Tail >= 0 {
		st, err := f.Stat()
		if err != nil {
			return fmt.Errorf("reading log: %w", err)
		}
		start, err := tailOffset(ctx, f, st.Size(), opts.Tail)
		if err != nil {
			return err
		}
		if _, err := f.Seek(start.Offset, io.SeekStart); err != nil {
			return fmt.Errorf("reading log: %w", err)
		}
		skip = start.Skip
	}
	r := &reader{opts: opts, emit: emit, pending: map[string]*Line{}, skip: skip}
	if !opts.Follow {
		if err := r.drain(ctx, f); err != nil {
			return err
		}
		return r.flush()
	}
	return r.follow(ctx, &f, path, done)
}

// openLog opens path; when following, it waits for the file to be created
// and returns (nil, nil) if done reports true before that.
func openLog(ctx context.Context, path string, follow bool, done func() bool) (*os.File, error) {
	for {
		finished := done()
		f, err := os.Open(path)
		switch {
		case err == nil:
			return f, nil
		case !follow || !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("opening log: %w", err)
		case finished:
			return nil, nil
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return nil, err
		}
	}
}

// reader turns file data into emitted lines.
type reader struct {
	opts    Options
	emit    func(Line) error
	buf     []byte           // read but not yet parsed: an incomplete record
	pending map[string]*Line // per stream, fragments awaiting their F record
	offset  int64            // file offset just after the data in buf
	past    bool             // a line after Until was seen: stop
	skip    int              // complete lines still to drop before the tail window
}

// follow drains f repeatedly until done, handling rotation and truncation.
// It takes *f so the deferred Close in Read closes the current file.
func (r *reader) follow(ctx context.Context, f **os.File, path string, done func() bool) error {
	if pos, err := (*f).Seek(0, io.SeekCurrent); err == nil {
		r.offset = pos
	}
	for {
		// Sample done before draining: everything the container wrote
		// before it finished is in the file by then.
		finished := done()
		if err := r.drain(ctx, *f); err != nil {
			return err
		}
		if r.past {
			return r.flush()
		}
		next, err := r.reopenIfReplaced(*f, path)
		if err != nil {
			return err
		}
		if next != nil {
			// The writer may have appended to the old file between our
			// drain and its rename; take that before switching. Bytes of an
			// unterminated record left in the old file are dropped.
			if err := r.drain(ctx, *f); err != nil {
				next.Close()
				return err
			}
			(*f).Close()
			*f, r.buf, r.offset = next, r.buf[:0], 0
			continue // drain the new file before honouring finished
		}
		if finished {
			return r.flush()
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return err
		}
	}
}

// reopenIfReplaced returns the new file if path now names a different file
// than f (rotation by rename). A truncated f is rewound in place instead.
func (r *reader) reopenIfReplaced(f *os.File, path string) (*os.File, error) {
	cur, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading log: %w", err)
	}
	named, err := os.Stat(path)
	if err != nil {
		return nil, nil // mid-rotation or removed: keep the old file for now
	}
	if !os.SameFile(cur, named) {
		nf, err := os.Open(path)
		if err != nil {
			return nil, nil // replaced again or removed: retry next poll
		}
		return nf, nil
	}
	if cur.Size() < r.offset {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("reading log: %w", err)
		}
		r.buf, r.offset = r.buf[:0], 0
	}
	return nil, nil
}

// drain reads f to its current end, emitting every complete record.
func (r *reader) drain(ctx context.Context, f *os.File) error {
	chunk := make([]byte, readChunk)
	for !r.past {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.Read(chunk)
		r.offset += int64(n)
		r.buf = append(r.buf, chunk[:n]...)
		if perr := r.parse(); perr != nil {
			return perr
		}
		if errors.Is(err, io.EOF) || (err == nil && n == 0) {
			return nil
		}
		if err != nil && !errors.Is(err, syscall.EINTR) {
			return fmt.Errorf("reading log: %w", err)
		}
	}
	return nil
}

// parse handles every newline-terminated record in buf and keeps the rest.
func (r *reader) parse() error {
	rest := r.buf
	for !r.past {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		rec, err := parseRecord(rest[:i])
		rest = rest[i+1:]
		if err != nil {
			continue // not ours to judge: skip lines that are not records
		}
		if err := r.record(rec); err != nil {
			return err
		}
	}
	r.buf = append(r.buf[:0], rest...)
	return nil
}

// record joins fragments and emits finished lines.
func (r *reader) record(rec record) error {
	l := r.pending[rec.stream]
	if l == nil {
		l = &Line{Time: rec.time, Stream: rec.stream}
	}
	l.Text += string(rec.text)
	if rec.partial {
		r.pending[rec.stream] = l
		return nil
	}
	delete(r.pending, rec.stream)
	if r.skip > 0 {
		r.skip--
		return nil
	}
	l.Text += "\n"
	return r.send(*l)
}

// send applies Since and Until and emits l.
func (r *reader) send(l Line) error {
	if !r.opts.Until.IsZero() && l.Time.After(r.opts.Until) {
		r.past = true
		return nil
	}
	if !r.opts.Since.IsZero() && l.Time.Before(r.opts.Since) {
		return nil
	}
	return r.emit(l)
}

// flush emits unfinished lines (fragments with no F record yet), oldest
// first; it is called once, when reading ends.
func (r *reader) flush() error {
	var ls []Line
	for _, l := range r.pending {
		ls = append(ls, *l)
	}
	r.pending = map[string]*Line{}
	sort.Slice(ls, func(i, j int) bool { return ls[i].Time.Before(ls[j].Time) })
	for _, l := range ls {
		if r.past {
			return nil
		}
		if err := r.send(l); err != nil {
			return err
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
