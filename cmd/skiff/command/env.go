package command

import (
	"context"
	"fmt"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/engine/local"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// GlobalOptions are the root command's flags.
type GlobalOptions struct {
	GraphRoot     string
	RunRoot       string
	StorageDriver string
	Runtime       string
	LogLevel      string
}

// Env is what every command receives: the global options and the engine,
// opened on first use so that `--help` and flag errors stay instant.
type Env struct {
	Global GlobalOptions
	eng    engine.Engine
}

// Engine opens the engine on first use.
func (e *Env) Engine(ctx context.Context) (engine.Engine, error) {
	if e.eng != nil {
		return e.eng, nil
	}
	eng, err := local.New(ctx, local.Options{
		GraphRoot: e.Global.GraphRoot, RunRoot: e.Global.RunRoot, StorageDriver: e.Global.StorageDriver,
		Runtime: e.Global.Runtime, LogLevel: e.Global.LogLevel,
	})
	if err != nil {
		return nil, err
	}
	e.eng = eng
	return eng, nil
}

// Containers is a shortcut for Engine(ctx).Containers().
func (e *Env) Containers(ctx context.Context) (engine.ContainerEngine, error) {
	eng, err := e.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Containers(), nil
}

// Images is a shortcut for Engine(ctx).Images().
func (e *Env) Images(ctx context.Context) (engine.ImageEngine, error) {
	eng, err := e.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return eng.Images(), nil
}

// Shutdown closes the engine if it was opened.
func (e *Env) Shutdown(ctx context.Context) error {
	if e.eng == nil {
		return nil
	}
	return e.eng.Shutdown(ctx)
}

// Invalid makes a bad-input error (exit code 125).
func Invalid(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), errdefs.ErrInvalidArg)
}

// ReportErrors prints each failed item's error and the successful ones'
// names, the way Docker's bulk commands do, and returns the last error.
func ReportErrors(reports []engine.ActionReport, printOK func(engine.ActionReport)) error {
	var last error
	for _, r := range reports {
		if r.Err != nil {
			if last != nil {
				printErr(last)
			}
			last = r.Err
			continue
		}
		if printOK != nil {
			printOK(r)
		}
	}
	return last
}
