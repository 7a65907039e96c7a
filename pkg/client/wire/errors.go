package wire

import (
	"errors"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Error is an error as it travels: the message the user sees, the errdefs
// class, the sentinel it wraps (so errors.Is keeps working across the wire)
// and, for a container's own non-zero exit, the exit code. The field names
// "message" and "cause" are the ones every skiff API error body uses.
type Error struct {
	Message  string `json:"message"`
	Cause    string `json:"cause,omitempty"`
	Sentinel string `json:"sentinel,omitempty"`
	ExitCode *int   `json:"exit_code,omitempty"`
}

// sentinels names every errdefs sentinel on the wire. The most specific
// come first: an error is sent as the first one it wraps.
var sentinels = []struct {
	name string
	err  error
}{
	{"no-such-container", errdefs.ErrNoSuchContainer},
	{"no-such-image", errdefs.ErrNoSuchImage},
	{"no-such-exec-session", errdefs.ErrNoSuchExecSession},
	{"no-such-object", errdefs.ErrNoSuchObject},
	{"name-in-use", errdefs.ErrNameInUse},
	{"container-running", errdefs.ErrCtrRunning},
	{"container-not-running", errdefs.ErrCtrNotRunning},
	{"container-state-invalid", errdefs.ErrCtrStateInvalid},
	{"image-in-use", errdefs.ErrImageInUse},
	{"already-started", errdefs.ErrAlreadyStarted},
	{"already-stopped", errdefs.ErrAlreadyStopped},
	{"ambiguous", errdefs.ErrAmbiguous},
	{"invalid-argument", errdefs.ErrInvalidArg},
	{"not-implemented", errdefs.ErrNotImplemented},
	{"cannot-invoke", errdefs.ErrCannotInvoke},
	{"command-not-found", errdefs.ErrCommandNotFound},
	{"no-subids", errdefs.ErrNoSubIDs},
	{"detached", errdefs.ErrDetached},
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
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			e.Sentinel = s.name
			break
		}
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
	re := &remoteError{msg: e.Message, class: errdefs.ParseClass(e.Cause)}
	for _, s := range sentinels {
		if s.name == e.Sentinel {
			re.sentinel = s.err
			re.class = errdefs.ClassOf(s.err)
			break
		}
	}
	return re
}

// remoteError is an error that happened on the other side of the wire.
type remoteError struct {
	msg      string
	class    errdefs.Class
	sentinel error
}

func (e *remoteError) Error() string { return e.msg }

// Class reports the class the server named, so errdefs.ClassOf (and with
// it exit codes and HTTP statuses) agrees with the server's.
func (e *remoteError) Class() errdefs.Class { return e.class }

func (e *remoteError) Unwrap() error { return e.sentinel }

// ClassError makes an error of class c with message msg, for answers that
// carry a status but no skiff error body.
func ClassError(c errdefs.Class, msg string) error {
	return &remoteError{msg: msg, class: c}
}
