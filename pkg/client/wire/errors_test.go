package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// roundTrip sends err through its JSON wire form.
func roundTrip(t *testing.T, err error) error {
	t.Helper()
	data, mErr := json.Marshal(FromError(err))
	if mErr != nil {
		t.Fatal(mErr)
	}
	var back *Error
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	return back.Err()
}

func TestErrorRoundTripKeepsSentinels(t *testing.T) {
	for s := range errdefs.Sentinels() {
		t.Run(s.Name(), func(t *testing.T) {
			orig := fmt.Errorf("doing something to %q: %w", "x", s)
			got := roundTrip(t, orig)
			if !errors.Is(got, s) {
				t.Errorf("errors.Is(%v, %v) is false after the wire", got, s)
			}
			if got.Error() != orig.Error() {
				t.Errorf("message %q, want %q", got.Error(), orig.Error())
			}
			if errdefs.ClassOf(got) != errdefs.ClassOf(orig) || errdefs.ExitCode(got) != errdefs.ExitCode(orig) ||
				errdefs.HTTPStatus(got) != errdefs.HTTPStatus(orig) {
				t.Errorf("class/exit/status %v/%d/%d, want %v/%d/%d", errdefs.ClassOf(got), errdefs.ExitCode(got),
					errdefs.HTTPStatus(got), errdefs.ClassOf(orig), errdefs.ExitCode(orig), errdefs.HTTPStatus(orig))
			}
			// A different sentinel of the same class must not match.
			for other := range errdefs.Sentinels() {
				if other != s && errors.Is(got, other) {
					t.Errorf("%v also matches %s", got, other.Name())
				}
			}
		})
	}
}

func TestErrorRoundTripEngineAliases(t *testing.T) {
	got := roundTrip(t, fmt.Errorf("no container with name or ID %q found: %w", "web", engine.ErrNoSuchContainer))
	if !errors.Is(got, engine.ErrNoSuchContainer) || errors.Is(got, engine.ErrNoSuchImage) {
		t.Fatalf("engine sentinels after the wire: %v", got)
	}
}

func TestErrorRoundTripExitCode(t *testing.T) {
	for _, code := range []int{1, 3, 125, 126, 127, 137} {
		got := roundTrip(t, fmt.Errorf("wrapped: %w", &errdefs.ExitError{Code: code}))
		var exit *errdefs.ExitError
		if !errors.As(got, &exit) || exit.Code != code || errdefs.ExitCode(got) != code {
			t.Errorf("exit code %d came back as %v (exit %d)", code, got, errdefs.ExitCode(got))
		}
	}
}

func TestErrorRoundTripClassOnly(t *testing.T) {
	orig := errdefs.New(errdefs.ClassForbidden, "not for you")
	got := roundTrip(t, orig)
	if errdefs.ClassOf(got) != errdefs.ClassForbidden || got.Error() != "not for you" {
		t.Fatalf("got %v of class %v", got, errdefs.ClassOf(got))
	}
	plain := roundTrip(t, errors.New("boom"))
	if errdefs.ClassOf(plain) != errdefs.ClassUnknown || errdefs.ExitCode(plain) != errdefs.ExitEngine {
		t.Fatalf("a classless error came back as class %v", errdefs.ClassOf(plain))
	}
	if FromError(nil) != nil || (*Error)(nil).Err() != nil {
		t.Fatal("nil must stay nil")
	}
}

func TestActionReportsRoundTrip(t *testing.T) {
	in := []engine.ActionReport{
		{ID: "a", RawInput: "a"},
		{RawInput: "b", Err: fmt.Errorf("no container with name or ID %q found: %w", "b", errdefs.ErrNoSuchContainer)},
	}
	data, err := json.Marshal(FromActionReports(in))
	if err != nil {
		t.Fatal(err)
	}
	var wireReps []ActionReport
	if err := json.Unmarshal(data, &wireReps); err != nil {
		t.Fatal(err)
	}
	out := ToActionReports(wireReps)
	if out[0].Err != nil || out[0].ID != "a" {
		t.Errorf("ok report: %+v", out[0])
	}
	if !errors.Is(out[1].Err, errdefs.ErrNoSuchContainer) || out[1].Err.Error() != in[1].Err.Error() || out[1].RawInput != "b" {
		t.Errorf("failed report: %+v", out[1])
	}
}
