package wire

import (
	"encoding/json"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

// Prefix is where the native API lives on a skiff service.
const Prefix = "/skiff/v1"

// Header names of the native API.
const (
	// HeaderStdin set to "1" says the client will send stdin frames.
	HeaderStdin = "Skiff-Stdin"
	// HeaderOptions carries a route's options as JSON when the body is
	// taken by something else (the tarball of an import).
	HeaderOptions = "Skiff-Options"
)

// ErrorBody is the body of every native error response: the error, and
// for the methods that return a partial result with their error (image
// removal, inspect), that result.
type ErrorBody struct {
	Error
	Value json.RawMessage `json:"value,omitempty"`
}

// HeaderError carries the JSON Error of a 304 answer, which has no body.
const HeaderError = "Skiff-Error"

// Bulk is the body of a route whose engine method takes names and options.
type Bulk[T any] struct {
	Names   []string `json:"names"`
	Options T        `json:"options"`
}

// Named is the body of a route whose engine method takes one name (when it
// cannot go in the path, as image references have slashes) and options.
type Named[T any] struct {
	Name    string `json:"name"`
	Options T      `json:"options"`
}

// Result is the last frame of a stream: the method's report, its error, or
// both (start --attach reports the container and its exit code).
type Result struct {
	Value json.RawMessage `json:"value,omitempty"`
	Error *Error          `json:"error,omitempty"`
}

// Exists is the answer of the exists routes.
type Exists struct {
	Exists bool `json:"exists"`
}

// ExecID is the answer of exec create.
type ExecID struct {
	ID string `json:"Id"`
}

// Ping is the answer of the native ping route; clients use it to tell a
// skiff service from another Docker API server.
type Ping struct {
	API     string `json:"api"`
	Version string `json:"version"`
}

// ActionReport is engine.ActionReport with its error in wire form.
type ActionReport struct {
	engine.ActionReport
	Error *Error `json:"error,omitempty"`
}

// WaitReport is engine.WaitReport with its error in wire form.
type WaitReport struct {
	engine.WaitReport
	Error *Error `json:"error,omitempty"`
}

// FromActionReports converts engine reports for the wire.
func FromActionReports(in []engine.ActionReport) []ActionReport {
	out := make([]ActionReport, len(in))
	for i, r := range in {
		out[i] = ActionReport{ActionReport: r, Error: FromError(r.Err)}
		if r.Err != nil && out[i].ErrMessage == "" {
			out[i].ErrMessage = r.Err.Error()
		}
	}
	return out
}

// ToActionReports converts wire reports back, rebuilding their errors.
func ToActionReports(in []ActionReport) []engine.ActionReport {
	out := make([]engine.ActionReport, len(in))
	for i, r := range in {
		out[i] = r.ActionReport
		out[i].Err = r.Error.Err()
	}
	return out
}

// FromWaitReports converts engine reports for the wire.
func FromWaitReports(in []engine.WaitReport) []WaitReport {
	out := make([]WaitReport, len(in))
	for i, r := range in {
		out[i] = WaitReport{WaitReport: r, Error: FromError(r.Err)}
	}
	return out
}

// ToWaitReports converts wire reports back, rebuilding their errors.
func ToWaitReports(in []WaitReport) []engine.WaitReport {
	out := make([]engine.WaitReport, len(in))
	for i, r := range in {
		out[i] = r.WaitReport
		out[i].Err = r.Error.Err()
	}
	return out
}
