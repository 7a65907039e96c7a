package libpod

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/libpod/state"
)

// recordEvent appends a container event to the log, with Docker's action
// names and attributes (name, image, the container's labels, extra).
// Failing to log never fails the operation it describes.
func (r *Runtime) recordEvent(ctx context.Context, c *Container, action string, extra map[string]string) {
	attrs := map[string]string{"name": c.Name, "image": c.Config.ImageName}
	for k, v := range c.Config.Spec.Labels {
		attrs[k] = v
	}
	for k, v := range extra {
		attrs[k] = v
	}
	ev := state.Event{Type: "container", Action: action, ID: c.ID, Name: c.Name, Attributes: attrs}
	if _, err := r.db.AddEvent(context.WithoutCancel(ctx), ev); err != nil {
		logrus.Warnf("recording %s event of %s: %v", action, c.ID, err)
	}
}

// Events returns recorded events matching f, oldest first.
func (r *Runtime) Events(ctx context.Context, f state.EventFilter) ([]state.Event, error) {
	return r.db.Events(ctx, f)
}

// LastEventSeq is the sequence number of the newest recorded event.
func (r *Runtime) LastEventSeq(ctx context.Context) (int64, error) {
	return r.db.LastEventSeq(ctx)
}

// recordExit marks the container exited with code, once: the state changes
// in one transaction that first checks nobody recorded this exit already,
// so several skiff processes noticing the same exit log one "die" event.
func (r *Runtime) recordExit(ctx context.Context, c *Container, code int, finished time.Time) error {
	changed := false
	err := r.db.ModifyContainerState(ctx, c.ID, func(raw json.RawMessage) (json.RawMessage, error) {
		var st ContainerState
		if err := json.Unmarshal(raw, &st); err != nil {
			return nil, err
		}
		if !st.Status.Up() && !(st.Status == StatusCreated && st.OCICreated) {
			c.State = st
			return raw, nil
		}
		st.Status, st.ExitCode, st.FinishedAt, st.PID = StatusExited, code, finished, 0
		if c.State.Error != "" {
			st.Error = c.State.Error
		}
		c.State, changed = st, true
		return json.Marshal(st)
	})
	if err != nil {
		return err
	}
	if changed {
		logrus.Debugf("container %s exited with %d", c.ID, code)
		r.recordEvent(ctx, c, "die", map[string]string{"exitCode": strconv.Itoa(code)})
	}
	return nil
}
