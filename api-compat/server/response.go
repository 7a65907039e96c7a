package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Route is one API endpoint. Pattern uses Go 1.22+ net/http ServeMux syntax
// without the method, e.g. "/containers/{id}/start"; an empty Method
// matches every method.
type Route struct {
	Method  string
	Pattern string
	Handler http.HandlerFunc
	// Stream marks long-lived endpoints (attach, logs follow, events, wait,
	// exec start). The connection of such a request keeps the service alive
	// while it is open, like every request in flight; the flag documents the
	// route and makes the server bound its request body by idleness only,
	// with no size limit and no whole-body timeout (uploads; see body.go).
	Stream bool
}

// ErrorBody is the JSON body of every error answer.
type ErrorBody struct {
	Message string `json:"message"`
	// Cause is the errdefs class name, so skiff's client can rebuild the
	// error class; Docker clients ignore it.
	Cause string `json:"cause,omitempty"`
}

// invalidf makes a 400 error with exactly the given message.
func invalidf(format string, args ...any) error {
	return errdefs.As(errdefs.ErrInvalidArg, fmt.Sprintf(format, args...))
}

// ErrEmptyBody is what DecodeJSON returns for a request without a body;
// handlers whose body is optional test for it with errors.Is. It is an
// errdefs.ErrInvalidArg.
var ErrEmptyBody = errdefs.As(errdefs.ErrInvalidArg, "empty request body: a JSON document was expected")

type ctxKey int

const (
	keyAPIVersion ctxKey = iota
	keyRawBody
)

// APIVersion returns the Docker API version the client put in the path,
// e.g. "1.44", or the server's own version for unversioned paths.
func APIVersion(r *http.Request) string {
	if v, ok := r.Context().Value(keyAPIVersion).(string); ok {
		return v
	}
	return APIVersionMax
}

// RawBody returns the request body without the server's size limit, for
// handlers that stream large uploads (image load, build contexts, archive
// uploads). Everyone else reads r.Body.
func RawBody(r *http.Request) io.ReadCloser {
	if b, ok := r.Context().Value(keyRawBody).(io.ReadCloser); ok {
		return b
	}
	return r.Body
}

// WriteJSON answers with status and v encoded as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		logrus.Debugf("api: writing response body: %v", err)
	}
}

// WriteError answers with err's HTTP status (errdefs.HTTPStatus) and a
// JSON body naming the message and the error class; 304 has no body.
func WriteError(w http.ResponseWriter, err error) {
	status := errdefs.HTTPStatus(err)
	if status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	if status >= 500 {
		logrus.Debugf("api: answering %d: %v", status, err)
	}
	WriteJSON(w, status, ErrorBody{Message: ErrorMessage(err), Cause: errdefs.ClassOf(err).String()})
}

// ErrorMessage is err's text as the API sends it: on one line, as Docker's
// daemon sends its messages and clients print them (containers/image lists
// the formats it tried on lines of their own).
func ErrorMessage(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

// DecodeJSON decodes the request body into v. Like moby's
// httputils.ReadJSON it first checks the Content-Type (checkForJSON), so
// every endpoint with a JSON body answers a wrong one alike. Unknown fields
// are ignored, as Docker does; a malformed or mistyped body, or one over
// the size limit, is an errdefs.ErrInvalidArg carrying the decoder's
// message, and a missing body is ErrEmptyBody.
func DecodeJSON(r *http.Request, v any) error {
	if err := checkForJSON(r); err != nil {
		return err
	}
	if r.Body == nil || r.Body == http.NoBody {
		return ErrEmptyBody
	}
	err := json.NewDecoder(r.Body).Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF):
		return ErrEmptyBody
	case errdefs.ClassOf(err) != errdefs.ClassUnknown:
		// The body reader's own refusal (a timeout): already worded.
		return err
	case errors.As(err, &tooBig):
		return invalidf("request body larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidf("invalid JSON in request body: unexpected end of input")
	}
	return invalidf("invalid JSON in request body: %s", err.Error())
}

// checkForJSON is moby's httputils.CheckForJSON: a request without a body
// may leave Content-Type out; otherwise it must be application/json
// (parameters such as charset allowed).
func checkForJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && (r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0) {
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return invalidf("malformed Content-Type header (%s): %v", ct, err)
	}
	if mediaType != "application/json" {
		return invalidf("unsupported Content-Type header (%s): must be 'application/json'", ct)
	}
	return nil
}
