package errdefs

import (
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

func TestAs(t *testing.T) {
	err := fmt.Errorf("parsing flags: %w", As(ErrInvalidArg, `invalid --time "x"`))
	if !errors.Is(err, ErrInvalidArg) || errors.Is(err, ErrNoSuchContainer) {
		t.Fatalf("errors.Is on %v", err)
	}
	if err.Error() != `parsing flags: invalid --time "x"` {
		t.Errorf("message %q repeats the sentinel", err.Error())
	}
	if ExitCode(err) != 125 || HTTPStatus(err) != http.StatusBadRequest {
		t.Errorf("exit %d status %d", ExitCode(err), HTTPStatus(err))
	}
}
