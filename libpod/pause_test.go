package libpod

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

func TestPauseRules(t *testing.T) {
	const id = "abc"
	tests := []struct {
		op    string
		st    Status
		class error // nil: allowed
		text  string
	}{
		{op: "pause", st: StatusRunning},
		{op: "pause", st: StatusPaused, class: errdefs.ErrCtrStateInvalid, text: "container abc is already paused"},
		{op: "pause", st: StatusCreated, class: errdefs.ErrCtrNotRunning, text: "container abc is not running"},
		{op: "pause", st: StatusExited, class: errdefs.ErrCtrNotRunning, text: "container abc is not running"},
		{op: "pause", st: StatusRemoving, class: errdefs.ErrCtrNotRunning, text: "container abc is not running"},
		{op: "unpause", st: StatusPaused},
		{op: "unpause", st: StatusRunning, class: errdefs.ErrCtrStateInvalid, text: "container abc is not paused"},
		{op: "unpause", st: StatusExited, class: errdefs.ErrCtrStateInvalid, text: "container abc is not paused"},
		{op: "unpause", st: StatusCreated, class: errdefs.ErrCtrStateInvalid, text: "container abc is not paused"},
	}
	for _, tt := range tests {
		check := checkPause
		if tt.op == "unpause" {
			check = checkUnpause
		}
		err := check(id, tt.st)
		if tt.class == nil {
			if err != nil {
				t.Errorf("%s of %s: %v, want allowed", tt.op, tt.st, err)
			}
			continue
		}
		if !errors.Is(err, tt.class) || errdefs.ClassOf(err) != errdefs.ClassConflict {
			t.Errorf("%s of %s: %v, want a conflict wrapping %v", tt.op, tt.st, err, tt.class)
		}
		if err != nil && err.Error() != tt.text {
			t.Errorf("%s of %s: message %q, want %q", tt.op, tt.st, err, tt.text)
		}
	}
}

func TestErrExecPaused(t *testing.T) {
	err := errExecPaused("abc", "exec")
	if err.Error() != "container abc is paused, unpause the container before exec" {
		t.Errorf("message %q", err)
	}
	if errdefs.ClassOf(err) != errdefs.ClassConflict || errdefs.ExitCode(err) != 125 {
		t.Errorf("class %v, exit %d; want conflict, 125", errdefs.ClassOf(err), errdefs.ExitCode(err))
	}
	if !strings.HasSuffix(errExecPaused("abc", "attach").Error(), "before attach") {
		t.Error("attach wording")
	}
}

func TestStatusUp(t *testing.T) {
	for st, want := range map[Status]bool{
		StatusCreated: false, StatusRunning: true, StatusPaused: true, StatusExited: false, StatusRemoving: false,
	} {
		if got := st.Up(); got != want {
			t.Errorf("%s.Up() = %v, want %v", st, got, want)
		}
	}
}

func TestEndsContainer(t *testing.T) {
	withStop := func(spec, img string) *Container {
		c := &Container{}
		c.Config.Spec = specgen.SpecGenerator{StopSignal: spec}
		c.Config.Image.StopSignal = img
		return c
	}
	tests := []struct {
		name string
		c    *Container
		sig  syscall.Signal
		want bool
	}{
		{"no stop signal, TERM", withStop("", ""), syscall.SIGTERM, true},
		{"no stop signal, USR1", withStop("", ""), syscall.SIGUSR1, true},
		{"KILL always", withStop("SIGUSR2", ""), syscall.SIGKILL, true},
		{"the stop signal", withStop("SIGUSR2", ""), syscall.SIGUSR2, true},
		{"another signal", withStop("SIGUSR2", ""), syscall.SIGTERM, false},
		{"the image's stop signal", withStop("", "SIGQUIT"), syscall.SIGQUIT, true},
		{"not the image's stop signal", withStop("", "SIGQUIT"), syscall.SIGHUP, false},
		{"the spec wins over the image", withStop("TERM", "SIGQUIT"), syscall.SIGTERM, true},
	}
	for _, tt := range tests {
		if got := endsContainer(tt.c, tt.sig); got != tt.want {
			t.Errorf("%s: endsContainer = %v, want %v", tt.name, got, tt.want)
		}
	}
}
