package errdefs

import (
	"errors"
	"iter"
)

// Error is a sentinel error that carries a class. Callers wrap sentinels with
// context and test them with errors.Is. A named sentinel (the ones declared
// here) also has a stable wire name, by which the native API sends it, so
// errors.Is holds on the far side too.
type Error struct {
	class Class
	name  string
	msg   string
}

// New makes a sentinel of the given class that has no wire name: its class
// crosses the native API, its identity does not. It is for errors that
// never leave the process that makes them (a client that cannot reach its
// service, a listener that finds its address taken); a sentinel that the
// engine returns belongs in the list below.
func New(c Class, msg string) *Error { return &Error{class: c, msg: msg} }

func (e *Error) Error() string { return e.msg }

// Class reports the sentinel's class.
func (e *Error) Class() Class { return e.class }

// Name is the sentinel's wire name ("" for one made by New).
func (e *Error) Name() string { return e.name }

// registry holds every named sentinel in declaration order. Only named appends
// to it, while the package's variables are initialized (the Go spec runs
// independent initializers in declaration order), so declaring a sentinel
// is all it takes to put it on the wire.
var registry []*Error

// named makes a sentinel with a wire name and registers it.
func named(name string, c Class, msg string) *Error {
	e := &Error{class: c, name: name, msg: msg}
	registry = append(registry, e)
	return e
}

// Sentinels shared by the engine, the API server and the remote client.
// They are matched by errors.Is, never by their text. The order is the one
// SentinelOf tries them in: an error that wraps two is sent as the first,
// so the more specific ones come first.
var (
	ErrNoSuchContainer   = named("no-such-container", ClassNotFound, "no such container")
	ErrNoSuchImage       = named("no-such-image", ClassNotFound, "no such image")
	ErrNoSuchExecSession = named("no-such-exec-session", ClassNotFound, "no such exec session")
	ErrNoSuchObject      = named("no-such-object", ClassNotFound, "no such object")
	ErrNoSuchNetwork     = named("no-such-network", ClassNotFound, "no such network")
	ErrNameInUse         = named("name-in-use", ClassConflict, "name is already in use")
	ErrCtrRunning        = named("container-running", ClassConflict, "container is running")
	ErrCtrNotRunning     = named("container-not-running", ClassConflict, "container is not running")
	ErrCtrStateInvalid   = named("container-state-invalid", ClassConflict, "container state improper")
	ErrImageInUse        = named("image-in-use", ClassConflict, "image is in use by a container")
	ErrNetworkInUse      = named("network-in-use", ClassConflict, "network is in use by a container")
	ErrNetworkExists     = named("network-exists", ClassConflict, "network already exists")
	ErrNoSuchVolume      = named("no-such-volume", ClassNotFound, "no such volume")
	ErrVolumeInUse       = named("volume-in-use", ClassConflict, "volume is in use by a container")
	ErrVolumeExists      = named("volume-exists", ClassConflict, "volume already exists")
	ErrBuiltinNetwork    = named("builtin-network", ClassForbidden, "operation not permitted on a predefined network")
	ErrAlreadyStarted    = named("already-started", ClassNotModified, "container already started")
	ErrAlreadyStopped    = named("already-stopped", ClassNotModified, "container already stopped")
	ErrAuthRequired      = named("auth-required", ClassUnauthorized, "authentication required")
	ErrAmbiguous         = named("ambiguous", ClassInvalid, "more than one result")
	ErrInvalidArg        = named("invalid-argument", ClassInvalid, "invalid argument")
	ErrNotImplemented    = named("not-implemented", ClassNotImplemented, "not implemented")
	ErrCannotInvoke      = named("cannot-invoke", ClassCannotInvoke, "cannot invoke the command")
	ErrCommandNotFound   = named("command-not-found", ClassCommandNotFound, "command not found")
	ErrNoSubIDs          = named("no-subids", ClassUnavailable, "no subordinate ID ranges")
	ErrDetached          = named("detached", ClassUnknown, "detached from container")
)

// Sentinels yields every named sentinel, most specific first.
func Sentinels() iter.Seq[*Error] {
	return func(yield func(*Error) bool) {
		for _, e := range registry {
			if !yield(e) {
				return
			}
		}
	}
}

// Lookup finds the named sentinel called name.
func Lookup(name string) (*Error, bool) {
	for _, e := range registry {
		if e.name == name {
			return e, true
		}
	}
	return nil, false
}

// SentinelOf is the first named sentinel (in Sentinels' order) that err
// wraps, or nil.
func SentinelOf(err error) *Error {
	if err == nil {
		return nil
	}
	for _, e := range registry {
		if errors.Is(err, e) {
			return e
		}
	}
	return nil
}
