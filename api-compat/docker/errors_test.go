package docker

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestTranslateError(t *testing.T) {
	wrap := func(e error) error { return fmt.Errorf("engine context: %w", e) }
	other := errors.New("disk on fire")
	tests := []struct {
		name       string
		err        error
		op         op
		subj       subject
		wantMsg    string
		wantStatus int
	}{
		{"no container", wrap(errdefs.ErrNoSuchContainer), opOther, subject{ref: "web"}, "No such container: web", http.StatusNotFound},
		{"no image", wrap(errdefs.ErrNoSuchImage), opOther, subject{ref: "busybox:latest"}, "No such image: busybox:latest", http.StatusNotFound},
		{"no exec", wrap(errdefs.ErrNoSuchExecSession), opOther, subject{ref: "e1"}, "No such exec instance: e1", http.StatusNotFound},
		{"remove running", wrap(errdefs.ErrCtrRunning), opRemove, subject{ref: "web", id: "abc123"},
			"You cannot remove a running container abc123. Stop the container before attempting removal or force remove", http.StatusConflict},
		{"running elsewhere keeps engine text", wrap(errdefs.ErrCtrRunning), opOther, subject{ref: "web"}, "engine context: container is running", http.StatusConflict},
		{"not running with id", wrap(errdefs.ErrCtrNotRunning), opOther, subject{ref: "web", id: "abc123"}, "container abc123 is not running", http.StatusConflict},
		{"not running without id", wrap(errdefs.ErrCtrNotRunning), opOther, subject{ref: "web"}, "container web is not running", http.StatusConflict},
		{"already started", wrap(errdefs.ErrAlreadyStarted), opOther, subject{ref: "web"}, "engine context: container already started", http.StatusNotModified},
		{"invalid", wrap(errdefs.ErrInvalidArg), opOther, subject{ref: "web"}, "engine context: invalid argument", http.StatusBadRequest},
		{"unclassified", other, opOther, subject{ref: "web"}, "disk on fire", http.StatusInternalServerError},
		{"no image, tag implied", wrap(errdefs.ErrNoSuchImage), opOther, subject{ref: "docker.io/library/busybox"}, "No such image: busybox:latest", http.StatusNotFound},
		{"no image by ID", wrap(errdefs.ErrNoSuchImage), opOther, subject{ref: "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef"},
			"No such image: 0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef", http.StatusNotFound},
		{"kill of a stopped container", wrap(errdefs.ErrCtrNotRunning), opKill, subject{ref: "web", id: "abc123"},
			"cannot kill container: web: container abc123 is not running", http.StatusConflict},
		{"kill of a missing container", wrap(errdefs.ErrNoSuchContainer), opKill, subject{ref: "web"},
			"cannot kill container: web: No such container: web", http.StatusNotFound},
		{"already worded, for another subject", translateError(wrap(errdefs.ErrNoSuchImage), opOther, subject{ref: "busybox"}), opOther, subject{ref: "web"},
			"No such image: busybox:latest", http.StatusNotFound},
		{"already translated", invalid("HostConfig.Memory is not supported yet"), opOther, subject{}, "HostConfig.Memory is not supported yet", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := translateError(tt.err, tt.op, tt.subj)
			if got.Error() != tt.wantMsg {
				t.Errorf("message = %q, want %q", got.Error(), tt.wantMsg)
			}
			if s := errdefs.HTTPStatus(got); s != tt.wantStatus {
				t.Errorf("status = %d, want %d", s, tt.wantStatus)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("translated error lost its cause")
			}
		})
	}
	if translateError(nil, opOther, subject{}) != nil {
		t.Error("nil error translated to non-nil")
	}
}

func TestNameInUse(t *testing.T) {
	err := nameInUse("web", "0123abcd", fmt.Errorf("creating: %w", errdefs.ErrNameInUse))
	want := `Conflict. The container name "/web" is already in use by container "0123abcd". You have to remove (or rename) that container to be able to reuse that name.`
	if err.Error() != want || errdefs.HTTPStatus(err) != http.StatusConflict {
		t.Fatalf("got %q (%d), want %q (409)", err, errdefs.HTTPStatus(err), want)
	}
}
