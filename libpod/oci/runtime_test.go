package oci

import (
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestClassifyRuntimeMsg(t *testing.T) {
	cases := []struct {
		op, msg string
		want    string
		class   error
	}{
		{"creating container abc: runc create", `runc create failed: unable to start container process: exec: "/x": stat /x: no such file or directory`,
			`creating container abc: runc create failed: unable to start container process: exec: "/x": stat /x: no such file or directory: command not found`,
			errdefs.ErrCommandNotFound},
		{"creating container abc: crun create", `executable file not found in $PATH`,
			`creating container abc: crun create: executable file not found in $PATH: command not found`, errdefs.ErrCommandNotFound},
		{"runc kill", "container not running", "runc kill: container not running: container is not running", errdefs.ErrCtrNotRunning},
		{"runc start", "runc start failed: oops", "runc start failed: oops", nil},
		{"runc delete", "something broke", "runc delete: something broke", nil},
	}
	for _, c := range cases {
		err := classifyRuntimeMsg(c.op, c.msg)
		if err.Error() != c.want {
			t.Errorf("classifyRuntimeMsg(%q, %q) = %q, want %q", c.op, c.msg, err, c.want)
		}
		if c.class != nil && !errors.Is(err, c.class) {
			t.Errorf("classifyRuntimeMsg(%q, %q): class lost: %v", c.op, c.msg, err)
		}
	}
}
