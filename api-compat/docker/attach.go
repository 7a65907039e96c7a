package docker

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// lookup inspects one container, with Docker's 404 wording.
func (a *api) lookup(ctx context.Context, ref string) (*engine.InspectContainer, error) {
	got, err := a.eng.Containers().Inspect(ctx, []string{ref}, engine.InspectOptions{})
	if err == nil && len(got) != 1 {
		err = errdefs.ErrNoSuchContainer
	}
	if err != nil {
		return nil, translateError(err, opOther, subject{ref: ref})
	}
	return &got[0], nil
}

// waitContainer sends 200 and the headers before waiting: the docker CLI
// calls start only once it has them. The exit code follows in the body.
func (a *api) waitContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	cond := r.URL.Query().Get("condition")
	switch container.WaitCondition(cond) {
	case "", container.WaitConditionNotRunning, container.WaitConditionNextExit, container.WaitConditionRemoved:
	default:
		server.WriteError(w, invalid("invalid condition %q: want not-running, next-exit or removed", cond))
		return
	}
	if _, err := a.lookup(r.Context(), id); err != nil {
		server.WriteError(w, err)
		return
	}
	out := streamResponse(w, "application/json")
	reports, err := a.eng.Containers().Wait(r.Context(), []string{id}, engine.WaitOptions{Condition: cond})
	if err == nil && len(reports) == 1 {
		err = reports[0].Err
	}
	resp := container.WaitResponse{StatusCode: -1}
	switch {
	case err != nil && r.Context().Err() != nil:
		return // the client went away
	case err != nil:
		resp.Error = &container.WaitExitError{Message: translateError(err, opOther, subject{ref: id}).Error()}
	case len(reports) == 1:
		resp.StatusCode = int64(reports[0].ExitCode)
	}
	_ = json.NewEncoder(out).Encode(resp)
}

// attachOptions are attach's query parameters.
type attachOptions struct {
	stream, logs, stdin, stdout, stderr bool
	detachKeys                          string
}

func attachParams(r *http.Request) attachOptions {
	return attachOptions{
		stream: boolParam(r, "stream"), logs: boolParam(r, "logs"),
		stdin: boolParam(r, "stdin"), stdout: boolParam(r, "stdout"), stderr: boolParam(r, "stderr"),
		detachKeys: r.URL.Query().Get("detachKeys"),
	}
}

// attachContainer hijacks the connection and streams the container's
// stdio over it until the container exits (attaching to a created one
// waits for its start), then closes the connection.
func (a *api) attachContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	o := attachParams(r)
	ctr, err := a.lookup(r.Context(), id)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	h, err := hijackLater(w, r, ctr.Config.Tty)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	defer h.close()
	defer h.respond()
	ctx := h.context(r)
	streams := engine.Streams{Stdout: io.Discard, Stderr: io.Discard}
	if o.stdout {
		streams.Stdout = h.stdout
	}
	if o.stderr {
		streams.Stderr = h.stderr
	}
	if o.logs {
		if err := h.respond(); err != nil {
			return
		}
		err := a.eng.Containers().Logs(ctx, id, engine.LogsOptions{Tail: -1, Streams: streams})
		if err != nil {
			h.fail(translateError(err, opOther, subject{ref: id}))
			return
		}
	}
	if !o.stream {
		return
	}
	if o.stdin {
		streams.Stdin = h.stdin
	}
	opts := engine.AttachOptions{NoStdin: !o.stdin, Streams: streams, Ready: func() { _ = h.respond() }}
	if o.detachKeys != "" {
		opts.DetachKeys = &o.detachKeys
	}
	err = a.eng.Containers().Attach(ctx, id, opts)
	// Attaching to a created container prepares it in the runtime; when
	// that fails, the start the client sends next fails the same way and
	// says so: the stream would only repeat it.
	if !attachEndedNormally(err) && ctr.State.Status != "created" {
		h.fail(translateError(err, opOther, subject{ref: id}))
	}
}

// attachEndedNormally tells a stream that ended with the container from a
// failure: the container's own exit code is no error here (wait reports
// it), and a container that existed when the attach began but is gone now
// was removed after it exited (AutoRemove).
func attachEndedNormally(err error) bool {
	var exit *errdefs.ExitError
	return err == nil || errors.As(err, &exit) || errors.Is(err, errdefs.ErrNoSuchContainer)
}

// logsOptions translates logs' query parameters.
func logsOptions(r *http.Request) (engine.LogsOptions, bool, bool, error) {
	q := r.URL.Query()
	stdout, stderr := boolParam(r, "stdout"), boolParam(r, "stderr")
	if !stdout && !stderr {
		return engine.LogsOptions{}, false, false, invalid("Bad parameters: you must choose at least one stream")
	}
	since, err := parseTimestamp("since", q.Get("since"))
	if err != nil {
		return engine.LogsOptions{}, false, false, err
	}
	until, err := parseTimestamp("until", q.Get("until"))
	if err != nil {
		return engine.LogsOptions{}, false, false, err
	}
	return engine.LogsOptions{
		Follow: boolParam(r, "follow"), Timestamps: boolParam(r, "timestamps"),
		Tail: engine.TailLines(q.Get("tail")), Since: since, Until: until,
	}, stdout, stderr, nil
}

// containerLogs streams the log, multiplexed unless the container has a
// TTY; headers go out at once so `logs -f` clients see the stream open.
func (a *api) containerLogs(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	opts, stdout, stderr, err := logsOptions(r)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	ctr, err := a.lookup(r.Context(), id)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	tty := ctr.Config.Tty
	out := streamResponse(w, streamMediaType(server.APIVersion(r), tty))
	o, e := demux(out, tty)
	opts.Streams = engine.Streams{Stdout: io.Discard, Stderr: io.Discard}
	if stdout {
		opts.Streams.Stdout = o
	}
	if stderr {
		opts.Streams.Stderr = e
	}
	if err := a.eng.Containers().Logs(r.Context(), id, opts); err != nil && r.Context().Err() == nil {
		_, _ = io.WriteString(e, translateError(err, opOther, subject{ref: id}).Error()+"\n")
	}
}
