package errdefs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestExitCodeAndStatus(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		code   int
		status int
	}{
		{"nil", nil, 0, http.StatusInternalServerError},
		{"no such container", fmt.Errorf("no container with name or ID %q found: %w", "web", ErrNoSuchContainer), 125, http.StatusNotFound},
		{"name in use", fmt.Errorf("x: %w", ErrNameInUse), 125, http.StatusConflict},
		{"invalid", fmt.Errorf("bad flag: %w", ErrInvalidArg), 125, http.StatusBadRequest},
		{"already started", fmt.Errorf("c: %w", ErrAlreadyStarted), 125, http.StatusNotModified},
		{"auth required", fmt.Errorf("pulling x: %w", ErrAuthRequired), 125, http.StatusUnauthorized},
		{"cannot invoke", fmt.Errorf("start: %w", ErrCannotInvoke), 126, http.StatusInternalServerError},
		{"not found cmd", fmt.Errorf("start: %w", ErrCommandNotFound), 127, http.StatusInternalServerError},
		{"container code", &ExitError{Code: 3}, 3, http.StatusInternalServerError},
		{"wrapped container code", fmt.Errorf("run: %w", &ExitError{Code: 42}), 42, http.StatusInternalServerError},
		{"plain error", errors.New("boom"), 125, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.code {
				t.Errorf("ExitCode = %d, want %d", got, tt.code)
			}
			if tt.err == nil {
				return
			}
			if got := HTTPStatus(tt.err); got != tt.status {
				t.Errorf("HTTPStatus = %d, want %d", got, tt.status)
			}
		})
	}
}

func TestClassRoundTrip(t *testing.T) {
	for c := range classNames {
		if got := ParseClass(c.String()); got != c {
			t.Errorf("ParseClass(%q) = %v, want %v", c.String(), got, c)
		}
		if c == ClassUnknown || c == ClassCannotInvoke || c == ClassCommandNotFound {
			continue
		}
		status := HTTPStatus(New(c, "x"))
		if got := FromHTTPStatus(status); got != c {
			t.Errorf("FromHTTPStatus(%d) = %v, want %v", status, got, c)
		}
	}
}

func TestSentinelsHaveUniqueNames(t *testing.T) {
	seen := map[string]bool{}
	n := 0
	for s := range Sentinels() {
		n++
		if s.Name() == "" {
			t.Errorf("sentinel %q has no wire name", s)
		}
		if seen[s.Name()] {
			t.Errorf("wire name %q is used twice", s.Name())
		}
		seen[s.Name()] = true
		if got, ok := Lookup(s.Name()); !ok || got != s {
			t.Errorf("Lookup(%q) = %v, %v", s.Name(), got, ok)
		}
		if got := SentinelOf(fmt.Errorf("context: %w", s)); got != s {
			t.Errorf("SentinelOf(wrapped %s) = %v", s.Name(), got)
		}
	}
	if n == 0 {
		t.Fatal("no sentinels registered")
	}
	if _, ok := Lookup("no-such-name"); ok {
		t.Error("Lookup found a name nobody declared")
	}
	if SentinelOf(New(ClassNotFound, "local")) != nil || SentinelOf(nil) != nil {
		t.Error("SentinelOf found a sentinel in an error without one")
	}
}

func TestSentinelOfPrefersTheMoreSpecific(t *testing.T) {
	err := fmt.Errorf("%w: %w", ErrNoSuchObject, ErrNoSuchContainer)
	if got := SentinelOf(err); got != ErrNoSuchContainer {
		t.Errorf("SentinelOf = %v, want no-such-container", got.Name())
	}
}

func TestClassifiedErrors(t *testing.T) {
	cause := fmt.Errorf("reading: %w", context.Canceled)
	tests := []struct {
		name    string
		err     error
		msg     string
		is      []error
		isNot   []error
		class   Class
		exit    int
		status  int
		asError *Error // errors.As finds this sentinel
	}{
		{
			name:  "As",
			err:   fmt.Errorf("parsing flags: %w", As(ErrInvalidArg, `invalid --time "x"`)),
			msg:   `parsing flags: invalid --time "x"`,
			is:    []error{ErrInvalidArg},
			isNot: []error{ErrNoSuchContainer},
			class: ClassInvalid, exit: 125, status: http.StatusBadRequest, asError: ErrInvalidArg,
		},
		{
			name:  "Reword keeps the cause and a sentinel",
			err:   Reword("pulling x: unauthorized: authentication required", cause, ErrAuthRequired),
			msg:   "pulling x: unauthorized: authentication required",
			is:    []error{context.Canceled, ErrAuthRequired},
			isNot: []error{ErrInvalidArg},
			class: ClassUnauthorized, exit: 125, status: http.StatusUnauthorized, asError: ErrAuthRequired,
		},
		{
			name:  "Reword takes the first class of its causes",
			err:   Reword("No such container: web", fmt.Errorf("no container %q: %w", "web", ErrNoSuchContainer), ErrInvalidArg),
			msg:   "No such container: web",
			is:    []error{ErrNoSuchContainer, ErrInvalidArg},
			class: ClassNotFound, exit: 125, status: http.StatusNotFound, asError: ErrNoSuchContainer,
		},
		{
			name:  "WithClass overrides",
			err:   WithClass(ClassForbidden, "not for you"),
			msg:   "not for you",
			isNot: []error{ErrInvalidArg},
			class: ClassForbidden, exit: 125, status: http.StatusForbidden,
		},
		{
			name:  "WithClass with a sentinel",
			err:   WithClass(ClassCommandNotFound, "OCI runtime exec failed: x", ErrCommandNotFound, nil),
			msg:   "OCI runtime exec failed: x",
			is:    []error{ErrCommandNotFound},
			class: ClassCommandNotFound, exit: 127, status: http.StatusInternalServerError, asError: ErrCommandNotFound,
		},
		{
			name:  "a container's exit code in the causes",
			err:   Reword("exited", &ExitError{Code: 9}),
			msg:   "exited",
			class: ClassUnknown, exit: 9, status: http.StatusInternalServerError,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Error() != tt.msg {
				t.Errorf("message %q, want %q", tt.err.Error(), tt.msg)
			}
			for _, target := range tt.is {
				if !errors.Is(tt.err, target) {
					t.Errorf("errors.Is(err, %v) is false", target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(tt.err, target) {
					t.Errorf("errors.Is(err, %v) is true", target)
				}
			}
			if ClassOf(tt.err) != tt.class || ExitCode(tt.err) != tt.exit || HTTPStatus(tt.err) != tt.status {
				t.Errorf("class/exit/status %v/%d/%d, want %v/%d/%d", ClassOf(tt.err), ExitCode(tt.err), HTTPStatus(tt.err),
					tt.class, tt.exit, tt.status)
			}
			var e *Error
			if errors.As(tt.err, &e) != (tt.asError != nil) || (tt.asError != nil && e != tt.asError) {
				t.Errorf("errors.As found %v, want %v", e, tt.asError)
			}
		})
	}
}
