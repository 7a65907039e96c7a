package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// failEngine fails every call with the errdefs sentinel whose wire name the
// call names (the container name, or the new container's name); a name
// starting with "as:" asks for the errdefs.As form, else it is %w wrapping.
type failEngine struct{ scriptEngine }

func (e *failEngine) Containers() engine.ContainerEngine { return failContainers{} }

type failContainers struct{ engine.ContainerEngine }

// failure is the error the engine answers a call naming name with.
func failure(name string) error {
	sname, as := strings.CutPrefix(name, "as:")
	s, ok := errdefs.Lookup(sname)
	if !ok {
		return fmt.Errorf("test: no sentinel %q", sname)
	}
	if as {
		return errdefs.As(s, fmt.Sprintf("%s said in full", sname))
	}
	return fmt.Errorf("doing something to %q: %w", sname, s)
}

func (failContainers) Inspect(ctx context.Context, names []string, opts engine.InspectOptions) ([]engine.InspectContainer, error) {
	return nil, failure(names[0])
}

func (failContainers) Start(ctx context.Context, names []string, opts engine.StartOptions) ([]engine.ActionReport, error) {
	return []engine.ActionReport{{RawInput: names[0], Err: failure(names[0])}}, nil
}

// Run fails after its stream started, so the error travels in the
// stream's result frame.
func (failContainers) Run(ctx context.Context, opts engine.RunOptions) (*engine.RunReport, error) {
	fmt.Fprintln(opts.Streams.Stdout, "started")
	return nil, failure(opts.Spec.Name)
}

// TestEverySentinelCrossesTheWire sends every sentinel errdefs knows through
// the native API — a plain JSON answer (or the 304 header), a bulk report
// and a stream's result frame — and checks that the client gets an error
// that is the same sentinel, with the same message, class, exit code and
// HTTP status as the engine's.
func TestEverySentinelCrossesTheWire(t *testing.T) {
	r := serve(t, &failEngine{})
	ctx := context.Background()
	routes := []struct {
		name string
		call func(name string) error
	}{
		{"json", func(name string) error {
			_, err := r.Containers().Inspect(ctx, []string{name}, engine.InspectOptions{})
			return err
		}},
		{"bulk", func(name string) error {
			reps, err := r.Containers().Start(ctx, []string{name}, engine.StartOptions{})
			if err != nil {
				return fmt.Errorf("the call itself failed: %w", err)
			}
			return reps[0].Err
		}},
		{"stream", func(name string) error {
			_, err := r.Containers().Run(ctx, engine.RunOptions{
				Spec:    specgen.SpecGenerator{Name: name},
				Streams: engine.Streams{Stdout: io.Discard, Stderr: io.Discard},
			})
			return err
		}},
	}
	for s := range errdefs.Sentinels() {
		for _, name := range []string{s.Name(), "as:" + s.Name()} {
			want := failure(name)
			for _, route := range routes {
				t.Run(name+"/"+route.name, func(t *testing.T) {
					got := route.call(name)
					if got == nil {
						t.Fatal("no error")
					}
					if !errors.Is(got, s) {
						t.Errorf("errors.Is(%q, %s) is false", got, s.Name())
					}
					for other := range errdefs.Sentinels() {
						if other != s && errors.Is(got, other) {
							t.Errorf("%q also is %s", got, other.Name())
						}
					}
					if errdefs.ClassOf(got) != errdefs.ClassOf(want) || errdefs.ExitCode(got) != errdefs.ExitCode(want) ||
						errdefs.HTTPStatus(got) != errdefs.HTTPStatus(want) {
						t.Errorf("class/exit/status %v/%d/%d, want %v/%d/%d", errdefs.ClassOf(got), errdefs.ExitCode(got),
							errdefs.HTTPStatus(got), errdefs.ClassOf(want), errdefs.ExitCode(want), errdefs.HTTPStatus(want))
					}
					if got.Error() != want.Error() {
						t.Errorf("message %q, want %q", got, want)
					}
				})
			}
		}
	}
}
