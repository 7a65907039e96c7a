package remote

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

type containers struct {
	c *client.Client
}

var jsonUnmarshal = json.Unmarshal

func (e *containers) Create(ctx context.Context, opts engine.CreateOptions) (*engine.CreateReport, error) {
	var out engine.CreateReport
	if err := e.c.Do(ctx, http.MethodPost, "/containers/create", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *containers) Run(ctx context.Context, opts engine.RunOptions) (*engine.RunReport, error) {
	var out engine.RunReport
	var err error
	if opts.Detach {
		err = e.c.Do(ctx, http.MethodPost, "/containers/run", opts, &out)
	} else {
		err = e.c.Stream(ctx, "/containers/run", opts, client.StreamOptions{
			Streams: opts.Streams, SendStdin: opts.Spec.Stdin,
		}, &out)
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *containers) Start(ctx context.Context, names []string, opts engine.StartOptions) ([]engine.ActionReport, error) {
	var out []wire.ActionReport
	var err error
	if opts.Attach {
		err = e.c.Stream(ctx, "/containers/start", bulk(names, opts), client.StreamOptions{
			Streams: opts.Streams, SendStdin: opts.Interactive,
		}, &out)
	} else {
		err = e.c.Do(ctx, http.MethodPost, "/containers/start", bulk(names, opts), &out)
	}
	return wire.ToActionReports(out), err
}

// action calls a bulk container route.
func (e *containers) action(ctx context.Context, route string, body any) ([]engine.ActionReport, error) {
	var out []wire.ActionReport
	err := e.c.Do(ctx, http.MethodPost, route, body, &out)
	return wire.ToActionReports(out), err
}

func (e *containers) Stop(ctx context.Context, names []string, opts engine.StopOptions) ([]engine.ActionReport, error) {
	return e.action(ctx, "/containers/stop", bulk(names, opts))
}

func (e *containers) Kill(ctx context.Context, names []string, opts engine.KillOptions) ([]engine.ActionReport, error) {
	return e.action(ctx, "/containers/kill", bulk(names, opts))
}

func (e *containers) Pause(ctx context.Context, names []string, opts engine.PauseOptions) ([]engine.ActionReport, error) {
	return e.action(ctx, "/containers/pause", bulk(names, opts))
}

func (e *containers) Unpause(ctx context.Context, names []string, opts engine.UnpauseOptions) ([]engine.ActionReport, error) {
	return e.action(ctx, "/containers/unpause", bulk(names, opts))
}

func (e *containers) Restart(ctx context.Context, names []string, opts engine.RestartOptions) ([]engine.ActionReport, error) {
	return e.action(ctx, "/containers/restart", bulk(names, opts))
}

func (e *containers) Remove(ctx context.Context, names []string, opts engine.RemoveOptions) ([]engine.ActionReport, error) {
	return e.action(ctx, "/containers/remove", bulk(names, opts))
}

func (e *containers) List(ctx context.Context, opts engine.ListOptions) ([]engine.ListContainer, error) {
	var out []engine.ListContainer
	err := e.c.Do(ctx, http.MethodPost, "/containers/list", opts, &out)
	return out, err
}

func (e *containers) Logs(ctx context.Context, name string, opts engine.LogsOptions) error {
	return e.c.Stream(ctx, path("/containers/", name, "/logs"), opts, client.StreamOptions{Streams: opts.Streams}, nil)
}

func (e *containers) Exec(ctx context.Context, name string, opts engine.ExecOptions) (*engine.ExecReport, error) {
	var out engine.ExecReport
	var err error
	route := path("/containers/", name, "/exec")
	if opts.Detach {
		err = e.c.Do(ctx, http.MethodPost, route, opts, &out)
	} else {
		err = e.c.Stream(ctx, route, opts, client.StreamOptions{
			Streams: opts.Streams, SendStdin: opts.Interactive,
		}, &out)
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *containers) Attach(ctx context.Context, name string, opts engine.AttachOptions) error {
	return e.c.Stream(ctx, path("/containers/", name, "/attach"), opts, client.StreamOptions{
		Streams: opts.Streams, SendStdin: !opts.NoStdin,
	}, nil)
}

func (e *containers) Wait(ctx context.Context, names []string, opts engine.WaitOptions) ([]engine.WaitReport, error) {
	var out []wire.WaitReport
	err := e.c.Stream(ctx, "/containers/wait", bulk(names, opts), client.StreamOptions{}, &out)
	return wire.ToWaitReports(out), err
}

func (e *containers) Inspect(ctx context.Context, names []string, opts engine.InspectOptions) ([]engine.InspectContainer, error) {
	var out []engine.InspectContainer
	err := e.c.Do(ctx, http.MethodPost, "/containers/inspect", bulk(names, opts), &out)
	for i := range out {
		// Labels are not on the wire (they are Config.Labels there).
		out[i].Labels = out[i].Config.Labels
	}
	return out, err
}

func (e *containers) Exists(ctx context.Context, name string) (bool, error) {
	var out wire.Exists
	err := e.c.Do(ctx, http.MethodGet, path("/containers/", name, "/exists"), nil, &out)
	return out.Exists, err
}

func (e *containers) Rename(ctx context.Context, name string, opts engine.RenameOptions) error {
	return e.c.Do(ctx, http.MethodPost, path("/containers/", name, "/rename"), opts, nil)
}

func (e *containers) Resize(ctx context.Context, name string, size engine.TerminalSize) error {
	return e.c.Do(ctx, http.MethodPost, path("/containers/", name, "/resize"), size, nil)
}

func (e *containers) Prune(ctx context.Context, opts engine.PruneOptions) (*engine.PruneReport, error) {
	var out engine.PruneReport
	if err := e.c.Do(ctx, http.MethodPost, "/containers/prune", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *containers) ExecCreate(ctx context.Context, name string, opts engine.ExecOptions) (string, error) {
	var out wire.ExecID
	err := e.c.Do(ctx, http.MethodPost, path("/containers/", name, "/exec/create"), opts, &out)
	return out.ID, err
}

func (e *containers) ExecStart(ctx context.Context, execID string, opts engine.ExecStartOptions) (*engine.ExecReport, error) {
	var out engine.ExecReport
	var err error
	route := path("/exec/", execID, "/start")
	if opts.Detach {
		err = e.c.Do(ctx, http.MethodPost, route, opts, &out)
	} else {
		err = e.c.Stream(ctx, route, opts, client.StreamOptions{
			Streams: opts.Streams, SendStdin: opts.Streams.Stdin != nil,
		}, &out)
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *containers) ExecResize(ctx context.Context, execID string, size engine.TerminalSize) error {
	return e.c.Do(ctx, http.MethodPost, path("/exec/", execID, "/resize"), size, nil)
}

func (e *containers) ExecInspect(ctx context.Context, execID string) (*engine.ExecInspect, error) {
	var out engine.ExecInspect
	if err := e.c.Do(ctx, http.MethodGet, path("/exec/", execID, "/json"), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *containers) Cleanup(ctx context.Context, id string, opts engine.CleanupOptions) error {
	return e.c.Do(ctx, http.MethodPost, path("/containers/", id, "/cleanup"), opts, nil)
}
