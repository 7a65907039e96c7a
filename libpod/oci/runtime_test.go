package oci

import (
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestRuntimeError(t *testing.T) {
	tests := []struct {
		verb, msg string
		class     error
		exit      int
	}{
		{"exec", `exec failed: unable to start container process: exec: "/x": stat /x: no such file or directory`, errdefs.ErrCommandNotFound, 127},
		{"exec", `exec failed: unable to start container process: exec: "x": executable file not found in $PATH`, errdefs.ErrCommandNotFound, 127},
		{"create", `runc create failed: unable to start container process: exec: "/etc/passwd": permission denied`, errdefs.ErrCannotInvoke, 126},
		{"create", `runc create failed: unable to start container process: exec: "/etc": is a directory`, errdefs.ErrCannotInvoke, 126},
		{"kill", `container not running`, errdefs.ErrCtrNotRunning, 125},
		{"start", `container "x" does not exist`, errdefs.ErrNoSuchContainer, 125},
		{"kill", `lstat : no such file or directory`, nil, 125},
		{"create", `something else went wrong`, nil, 125},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			err := runtimeError(tt.verb, tt.msg)
			want := "OCI runtime " + tt.verb + " failed: " + tt.msg
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
			checkClass(t, err, tt.class, tt.exit)
		})
	}
}

func checkClass(t *testing.T, err, class error, exit int) {
	t.Helper()
	if class != nil && !errors.Is(err, class) {
		t.Errorf("%v is not %v", err, class)
	}
	if class == nil && errdefs.ClassOf(err) != errdefs.ClassUnknown {
		t.Errorf("%v has class %v, want none", err, errdefs.ClassOf(err))
	}
	if got := errdefs.ExitCode(err); got != exit {
		t.Errorf("exit code %d, want %d", got, exit)
	}
}
