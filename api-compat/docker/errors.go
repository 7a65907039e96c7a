package docker

import (
	"context"
	"errors"
	"fmt"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// dockerWords gives an engine error Docker's wording while keeping the
// engine error (and with it the error class, hence the HTTP status) in its
// chain, along with the mark that it is worded already.
func dockerWords(msg string, cause error) error {
	return errdefs.Reword(msg, cause, errWorded)
}

// errWorded marks an error whose message is Docker's already, so that
// translateError leaves it as it is.
var errWorded = errors.New("worded as Docker does")

// op names the kind of request an error came from, where Docker words the
// same class differently per request.
type op int

const (
	opOther op = iota
	opRemove
	opKill
)

// subject is what a request was about: the reference the client sent and,
// when known, the container's full ID (Docker's messages name the ID).
type subject struct {
	ref string
	id  string
}

func (s subject) idOrRef() string {
	if s.id != "" {
		return s.id
	}
	return s.ref
}

// translateError rewords an engine error into Docker's message for the
// same class. The class decides, never the engine's text.
func translateError(err error, o op, s subject) error {
	if err == nil {
		return nil
	}
	if !errors.Is(err, errWorded) {
		err = reword(err, o, s)
	}
	if o == opKill {
		// Docker's kill route puts the name before any reason.
		return dockerWords(fmt.Sprintf("cannot kill container: %s: %s", s.ref, err), err)
	}
	return err
}

// reword is Docker's message for an engine error's class, or the error as
// it is for a class Docker words like skiff.
func reword(err error, o op, s subject) error {
	switch {
	case errors.Is(err, errdefs.ErrNoSuchContainer):
		return dockerWords(fmt.Sprintf("No such container: %s", s.ref), err)
	case errors.Is(err, errdefs.ErrNoSuchImage):
		return dockerWords(fmt.Sprintf("No such image: %s", familiarRef(s.ref)), err)
	case errors.Is(err, errdefs.ErrNoSuchExecSession):
		return dockerWords(fmt.Sprintf("No such exec instance: %s", s.ref), err)
	case errors.Is(err, errdefs.ErrCtrRunning) && o == opRemove:
		return dockerWords(fmt.Sprintf("You cannot remove a running container %s. Stop the container before attempting removal or force remove", s.idOrRef()), err)
	case errors.Is(err, errdefs.ErrCtrNotRunning):
		return dockerWords(fmt.Sprintf("container %s is not running", s.idOrRef()), err)
	}
	return err
}

// nameInUse is Docker's 409 for a taken container name.
func nameInUse(name, holderID string, cause error) error {
	return dockerWords(fmt.Sprintf("Conflict. The container name \"/%s\" is already in use by container \"%s\". You have to remove (or rename) that container to be able to reuse that name.", name, holderID), cause)
}

// invalid makes a 400 with msg as Docker's message.
func invalid(format string, args ...any) error {
	return dockerWords(fmt.Sprintf(format, args...), errdefs.ErrInvalidArg)
}

// notImplemented makes a 501 with msg as Docker's message.
func notImplemented(format string, args ...any) error {
	return dockerWords(fmt.Sprintf(format, args...), errdefs.ErrNotImplemented)
}

// firstErr returns the error of the only report of a single-name action.
func firstErr(reports []engine.ActionReport, err error) error {
	if err != nil {
		return err
	}
	if len(reports) == 0 {
		return nil
	}
	return reports[0].Err
}

// withID fills in the container's full ID on error paths whose Docker
// message names it; lookups are only paid for when something failed.
func (a *api) withID(ctx context.Context, ref string, err error) subject {
	s := subject{ref: ref}
	if err == nil || !(errors.Is(err, errdefs.ErrCtrNotRunning) || errors.Is(err, errdefs.ErrCtrRunning)) {
		return s
	}
	if got, ierr := a.eng.Containers().Inspect(ctx, []string{ref}, engine.InspectOptions{}); ierr == nil && len(got) == 1 {
		s.id = got[0].ID
	}
	return s
}
