package wire

import (
	"errors"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Error is an error as it travels: the message the user sees, the errdefs
// class, the wire name of the most specific errdefs sentinel it wraps (so
// errors.Is keeps working across the wire) and, for a container's own
// non-zero exit, the exit code. The field names "message" and "cause" are
// the ones every skiff API error body uses.
type Error struct {
	Message  string `json:"message"`
	Cause    string `json:"cause,omitempty"`
	Sentinel string `json:"sentinel,omitempty"`
	ExitCode *int   `json:"exit_code,omitempty"`
}

// FromError describes err for the wire; nil stays nil.
func FromError(err error) *Error {
	if err == nil {
		return nil
	}
	var exit *errdefs.ExitError
	if errors.As(err, &exit) {
		code := exit.Code
		return &Error{Message: err.Error(), ExitCode: &code}
	}
	e := &Error{Message: err.Error(), Cause: errdefs.ClassOf(err).String()}
	if s := errdefs.SentinelOf(err); s != nil {
		e.Sentinel = s.Name()
	}
	return e
}

// Err rebuilds the error the other side had: an *errdefs.ExitError for a
// container's exit code, else an error with the same message and class
// that wraps the same sentinel. A nil *Error is a nil error.
func (e *Error) Err() error {
	if e == nil {
		return nil
	}
	if e.ExitCode != nil {
		return &errdefs.ExitError{Code: *e.ExitCode}
	}
	// The server's class is the truth (an error may carry a class other
	// than its sentinel's); an unknown one defers to the sentinel's.
	class := errdefs.ParseClass(e.Cause)
	if s, ok := errdefs.Lookup(e.Sentinel); ok {
		return errdefs.WithClass(class, e.Message, s)
	}
	return errdefs.WithClass(class, e.Message)
}
