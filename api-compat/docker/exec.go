package docker

import (
	"errors"
	"net/http"

	"github.com/docker/docker/api/types/common"
	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// execOptions translates Docker's exec create body.
func execOptions(cfg container.ExecOptions) (engine.ExecOptions, error) {
	if len(cfg.Cmd) == 0 {
		return engine.ExecOptions{}, invalid("No exec command specified")
	}
	opts := engine.ExecOptions{
		Cmd: cfg.Cmd, Env: cfg.Env, User: cfg.User, WorkDir: cfg.WorkingDir,
		Tty: cfg.Tty, Interactive: cfg.AttachStdin, Privileged: cfg.Privileged,
		InitialSize: consoleSize(cfg.ConsoleSize),
	}
	if cfg.DetachKeys != "" {
		keys := cfg.DetachKeys
		opts.DetachKeys = &keys
	}
	return opts, nil
}

// consoleSize reads Docker's [height, width]; zero means none.
func consoleSize(cs *[2]uint) *engine.TerminalSize {
	if cs == nil || cs[0] == 0 || cs[1] == 0 || cs[0] > 0xffff || cs[1] > 0xffff {
		return nil
	}
	return &engine.TerminalSize{Height: uint16(cs[0]), Width: uint16(cs[1])}
}

func (a *api) execCreate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var cfg container.ExecOptions
	if err := server.DecodeJSON(r, &cfg); err != nil {
		server.WriteError(w, err)
		return
	}
	opts, err := execOptions(cfg)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	execID, err := a.eng.Containers().ExecCreate(r.Context(), id, opts)
	if err != nil {
		server.WriteError(w, translateError(err, opOther, a.withID(r.Context(), id, err)))
		return
	}
	server.WriteJSON(w, http.StatusCreated, common.IDResponse{ID: execID})
}

// execStart runs a created exec session: detached it answers at once,
// otherwise it hijacks the connection like attach and closes it when the
// process ends; clients then read the exit code from /exec/{id}/json.
func (a *api) execStart(w http.ResponseWriter, r *http.Request) {
	execID := r.PathValue("id")
	var body container.ExecStartOptions
	if err := server.DecodeJSON(r, &body); err != nil && !errors.Is(err, server.ErrEmptyBody) {
		server.WriteError(w, err)
		return
	}
	info, err := a.eng.Containers().ExecInspect(r.Context(), execID)
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: execID}))
		return
	}
	opts := engine.ExecStartOptions{Detach: body.Detach, Tty: body.Tty, InitialSize: consoleSize(body.ConsoleSize)}
	if body.Detach {
		if _, err := a.eng.Containers().ExecStart(r.Context(), execID, opts); err != nil {
			server.WriteError(w, translateError(err, opOther, subject{ref: execID, id: info.ContainerID}))
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	h, err := hijack(w, r, body.Tty)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	defer h.close()
	opts.Streams = engine.Streams{Stdout: h.stdout, Stderr: h.stderr}
	if info.OpenStdin {
		opts.Streams.Stdin = h.stdin
	}
	if _, err := a.eng.Containers().ExecStart(h.context(r), execID, opts); err != nil {
		h.fail(translateError(err, opOther, subject{ref: execID, id: info.ContainerID}))
	}
}

func (a *api) execResize(w http.ResponseWriter, r *http.Request) {
	execID := r.PathValue("id")
	size, err := terminalSize(r)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	if err := a.eng.Containers().ExecResize(r.Context(), execID, size); err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: execID}))
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *api) execInspect(w http.ResponseWriter, r *http.Request) {
	execID := r.PathValue("id")
	info, err := a.eng.Containers().ExecInspect(r.Context(), execID)
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: execID}))
		return
	}
	server.WriteJSON(w, http.StatusOK, info)
}
