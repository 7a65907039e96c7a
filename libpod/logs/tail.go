package logs

import (
	"bytes"
	"context"
	"fmt"
	"os"
)

// tailChunk is how much the backward scan reads per step.
const tailChunk = 64 << 10

// tailStart is where reading starts for a tail: from Offset, the first Skip
// complete lines are not emitted (they belong to other streams whose
// records interleave with the fragments of lines in the window).
type tailStart struct {
	Offset int64
	Skip   int
}

// tailOffset finds where to read f so that exactly the last n complete
// lines (F records, in the order they complete) are emitted, including all
// of their fragments, plus any line still in progress (trailing P records).
// It scans backwards from size, so a long log is not parsed from the start.
// An unterminated final record (a write in progress) is not counted.
func tailOffset(ctx context.Context, f *os.File, size int64, n int) (tailStart, error) {
	start := tailStart{Offset: size}
	counted, fulls := 0, 0
	seenFull := map[string]bool{} // stream has a complete line after this point
	open := map[string]bool{}     // stream's included line starts further back
	err := eachRecordBackward(ctx, f, size, func(b []byte, off int64) bool {
		stream, full, ok := recordTag(b)
		if !ok {
			return false
		}
		s := string(stream)
		include := false
		if full {
			fulls++
			open[s] = false // the open line of s starts after this record
			if counted < n {
				counted++
				include, open[s] = true, true
			}
			seenFull[s] = true
		} else if open[s] || !seenFull[s] {
			include, open[s] = true, true
		}
		if include {
			start = tailStart{Offset: off, Skip: fulls - counted}
		}
		return counted == n && !anyOpen(open)
	})
	return start, err
}

func anyOpen(open map[string]bool) bool {
	for _, o := range open {
		if o {
			return true
		}
	}
	return false
}

// eachRecordBackward calls fn for each newline-terminated record of
// f[0:size], last first, with the record (without newline) and its offset,
// until fn returns true.
func eachRecordBackward(ctx context.Context, f *os.File, size int64, fn func(rec []byte, off int64) bool) error {
	base := size // data holds the file's bytes [base, base+len(data))
	var data []byte
	for {
		j := bytes.LastIndexByte(data, '\n')
		if j < 0 {
			data = nil // only an unterminated tail so far: not a record
		} else if k := bytes.LastIndexByte(data[:j], '\n'); k >= 0 || base == 0 {
			if fn(data[k+1:j], base+int64(k)+1) {
				return nil
			}
			data = data[:k+1]
			continue
		}
		if base == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		step := min(int64(tailChunk), base)
		base -= step
		chunk := make([]byte, step, int(step)+len(data))
		if _, err := f.ReadAt(chunk, base); err != nil {
			return fmt.Errorf("reading %s: %w", f.Name(), err)
		}
		data = append(chunk, data...)
	}
}
