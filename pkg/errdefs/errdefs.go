package errdefs

import (
	"errors"
	"net/http"
)

// Class is the kind of failure an error belongs to. Every class has exactly
// one exit code and one HTTP status, so the CLI and the API agree.
type Class int

const (
	ClassUnknown Class = iota
	ClassNotFound
	ClassConflict
	ClassInvalid
	ClassNotModified
	ClassUnauthorized
	ClassForbidden
	ClassUnavailable
	ClassNotImplemented
	ClassCannotInvoke
	ClassCommandNotFound
)

var classNames = map[Class]string{
	ClassUnknown:         "unknown",
	ClassNotFound:        "not-found",
	ClassConflict:        "conflict",
	ClassInvalid:         "invalid",
	ClassNotModified:     "not-modified",
	ClassUnauthorized:    "unauthorized",
	ClassForbidden:       "forbidden",
	ClassUnavailable:     "unavailable",
	ClassNotImplemented:  "not-implemented",
	ClassCannotInvoke:    "cannot-invoke",
	ClassCommandNotFound: "command-not-found",
}

// String names the class; the name is what goes on the wire.
func (c Class) String() string { return classNames[c] }

// ParseClass turns a wire name back into a class (ClassUnknown if unknown).
func ParseClass(s string) Class {
	for c, n := range classNames {
		if n == s {
			return c
		}
	}
	return ClassUnknown
}

// classer is implemented by anything that knows its own class.
type classer interface{ Class() Class }

// ClassOf finds the class of err by walking its wrap chain.
func ClassOf(err error) Class {
	var c classer
	if errors.As(err, &c) {
		return c.Class()
	}
	return ClassUnknown
}

// ExitError carries a container's own exit code up to the CLI.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return "container exited with a non-zero code" }

// Exit codes used by Docker and Podman for failures of the engine itself.
const (
	ExitEngine          = 125
	ExitCannotInvoke    = 126
	ExitCommandNotFound = 127
)

// ExitCode is the one place that maps an error to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	switch ClassOf(err) {
	case ClassCannotInvoke:
		return ExitCannotInvoke
	case ClassCommandNotFound:
		return ExitCommandNotFound
	}
	return ExitEngine
}

// HTTPStatus is the one place that maps an error class to an HTTP status.
func HTTPStatus(err error) int {
	switch ClassOf(err) {
	case ClassNotFound:
		return http.StatusNotFound
	case ClassConflict:
		return http.StatusConflict
	case ClassInvalid:
		return http.StatusBadRequest
	case ClassNotModified:
		return http.StatusNotModified
	case ClassUnauthorized:
		return http.StatusUnauthorized
	case ClassForbidden:
		return http.StatusForbidden
	case ClassUnavailable:
		return http.StatusServiceUnavailable
	case ClassNotImplemented:
		return http.StatusNotImplemented
	}
	return http.StatusInternalServerError
}

// FromHTTPStatus is the inverse used by the remote client when the server
// did not name a class.
func FromHTTPStatus(status int) Class {
	switch status {
	case http.StatusNotFound:
		return ClassNotFound
	case http.StatusConflict:
		return ClassConflict
	case http.StatusBadRequest:
		return ClassInvalid
	case http.StatusNotModified:
		return ClassNotModified
	case http.StatusUnauthorized:
		return ClassUnauthorized
	case http.StatusForbidden:
		return ClassForbidden
	case http.StatusServiceUnavailable:
		return ClassUnavailable
	case http.StatusNotImplemented:
		return ClassNotImplemented
	}
	return ClassUnknown
}
