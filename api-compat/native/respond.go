package native

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// noContent is the result of methods that return only an error.
type noContent struct{}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeError(w, fmt.Errorf("encoding the answer: %w", err), nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

// writeError answers err in wire form, with partial (when not nil) as the
// result the method returned along with its error.
func writeError(w http.ResponseWriter, err error, partial any) {
	status := errdefs.HTTPStatus(err)
	var exit *errdefs.ExitError
	if errors.As(err, &exit) {
		status = http.StatusInternalServerError
	}
	body := wire.ErrorBody{Error: *wire.FromError(err)}
	if status == http.StatusNotModified {
		// A 304 cannot carry a body; the header keeps the sentinel.
		hdr, _ := json.Marshal(body.Error)
		w.Header().Set(wire.HeaderError, string(hdr))
		w.WriteHeader(status)
		return
	}
	if partial != nil {
		if data, mErr := json.Marshal(partial); mErr == nil && !bytes.Equal(data, []byte("null")) {
			body.Value = data
		}
	}
	writeJSON(w, status, body)
}

// decodeBody reads a JSON body into v; an empty body leaves v as it is.
// Unknown fields are tolerated, as Docker does, so that newer clients can
// talk to older services.
func decodeBody(r *http.Request, v any) error {
	if r.Body == nil {
		return nil
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return fmt.Errorf("malformed request body: %v: %w", err, errdefs.ErrInvalidArg)
	}
	return nil
}

// call makes a handler that decodes In from the body, runs fn and answers
// its result: JSON 200, 204 for noContent, or the error.
func call[In, Out any](fn func(r *http.Request, in In) (Out, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decodeBody(r, &in); err != nil {
			writeError(w, err, nil)
			return
		}
		out, err := fn(r, in)
		if err != nil {
			writeError(w, err, out)
			return
		}
		if _, ok := any(out).(noContent); ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}
