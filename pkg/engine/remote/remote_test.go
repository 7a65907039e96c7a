package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/api-compat/native"
	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// These tests drive the whole remote path — remote engine, client, unix
// socket, the real API handler with the native routes, frames — against
// scriptEngine, an engine whose behaviour the test scripts, so each wire
// feature is checked on its own. The real engine behind the same path is
// covered by the e2e suite's remote modes (test/e2e).

// scriptEngine implements the engine methods the tests call; the rest
// come from the nil embedded interfaces and are never called.
type scriptEngine struct {
	mu       sync.Mutex
	resizes  []engine.TerminalSize
	imported []byte
}

type scriptSystem struct{ engine.SystemEngine }

func (e *scriptEngine) Containers() engine.ContainerEngine { return &scriptContainers{scriptEngine: e} }
func (e *scriptEngine) Images() engine.ImageEngine         { return &scriptImages{scriptEngine: e} }
func (e *scriptEngine) System() engine.SystemEngine        { return scriptSystem{} }
func (e *scriptEngine) Shutdown(context.Context) error     { return nil }

type scriptContainers struct {
	engine.ContainerEngine
	*scriptEngine
}

func noSuch(name string) error {
	return fmt.Errorf("no container with name or ID %q found: %w", name, errdefs.ErrNoSuchContainer)
}

// Run echoes stdin to stdout upper-cased, says "err" on stderr, and exits
// with len(command). A command starting with "wait-resize" first waits
// for a terminal size and records it: the run ends when the size has
// arrived, however long the transport took, not after a guessed delay.
func (c *scriptContainers) Run(ctx context.Context, opts engine.RunOptions) (*engine.RunReport, error) {
	if opts.Spec.Name == "taken" {
		return nil, fmt.Errorf("creating container: the name %q: %w", "taken", errdefs.ErrNameInUse)
	}
	if opts.Detach {
		return &engine.RunReport{ID: "detached"}, nil
	}
	fmt.Fprint(opts.Streams.Stderr, "err\n")
	if opts.Streams.Stdin != nil {
		data, _ := io.ReadAll(opts.Streams.Stdin)
		opts.Streams.Stdout.Write(bytes.ToUpper(data))
	}
	if len(opts.Spec.Command) > 0 && opts.Spec.Command[0] == "wait-resize" {
		select {
		case s := <-opts.Streams.Resize:
			c.mu.Lock()
			c.resizes = append(c.resizes, s)
			c.mu.Unlock()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &engine.RunReport{ID: "ran", ExitCode: len(opts.Spec.Command)}, nil
}

func (c *scriptContainers) Start(ctx context.Context, names []string, opts engine.StartOptions) ([]engine.ActionReport, error) {
	var out []engine.ActionReport
	for _, n := range names {
		if n == "missing" {
			out = append(out, engine.ActionReport{RawInput: n, Err: noSuch(n)})
			continue
		}
		out = append(out, engine.ActionReport{ID: "id-" + n, RawInput: n})
	}
	if opts.Attach {
		fmt.Fprintln(opts.Streams.Stdout, "attached")
		return out, &errdefs.ExitError{Code: 3}
	}
	return out, nil
}

func (c *scriptContainers) Inspect(ctx context.Context, names []string, opts engine.InspectOptions) ([]engine.InspectContainer, error) {
	var out []engine.InspectContainer
	for _, n := range names {
		if n != "web" {
			return out, noSuch(n)
		}
		ic := engine.InspectContainer{ID: "id-web", Name: "/web"}
		ic.Config.Labels = map[string]string{"a": "b"}
		out = append(out, ic)
	}
	return out, nil
}

func (c *scriptContainers) Logs(ctx context.Context, name string, opts engine.LogsOptions) error {
	if name != "web" {
		return noSuch(name)
	}
	for i := range 3 {
		fmt.Fprintf(opts.Streams.Stdout, "out %d\n", i)
		fmt.Fprintf(opts.Streams.Stderr, "err %d\n", i)
	}
	if opts.Follow {
		<-ctx.Done() // until the client goes away
		return ctx.Err()
	}
	return nil
}

func (c *scriptContainers) Exists(ctx context.Context, name string) (bool, error) {
	return name == "web", nil
}

func (c *scriptContainers) Rename(ctx context.Context, name string, opts engine.RenameOptions) error {
	if opts.NewName == name {
		return fmt.Errorf("renaming: %w", errdefs.ErrAlreadyStarted) // any 304 sentinel
	}
	return nil
}

func (c *scriptContainers) Wait(ctx context.Context, names []string, opts engine.WaitOptions) ([]engine.WaitReport, error) {
	var out []engine.WaitReport
	for _, n := range names {
		if n == "missing" {
			out = append(out, engine.WaitReport{RawInput: n, ExitCode: -1, Err: noSuch(n)})
			continue
		}
		out = append(out, engine.WaitReport{ID: "id-" + n, RawInput: n, ExitCode: 7})
	}
	return out, nil
}

type scriptImages struct {
	engine.ImageEngine
	*scriptEngine
}

func (i *scriptImages) Import(ctx context.Context, opts engine.ImportOptions) (*engine.ImportReport, error) {
	data, err := os.ReadFile(opts.Source)
	if err != nil {
		return nil, err
	}
	i.mu.Lock()
	i.imported = data
	i.mu.Unlock()
	return &engine.ImportReport{ID: fmt.Sprintf("%d-%s", len(data), opts.Reference)}, nil
}

func (i *scriptImages) Exists(ctx context.Context, name string) (bool, error) {
	return name == "localhost/busybox:latest", nil
}

func (scriptSystem) Events(ctx context.Context, opts engine.EventsOptions, out func(engine.Event) error) error {
	for i := range 3 {
		if err := out(engine.Event{Type: "container", Action: "start", Time: int64(i)}); err != nil {
			return err
		}
	}
	return nil
}

// serve runs the real API handler with the native routes on a unix socket
// and returns a remote engine connected to it.
func serve(t *testing.T, eng engine.Engine) *Engine {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "s.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: server.NewHandler(server.HandlerOptions{Native: native.Routes(eng), ServerVersion: "test"})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	c, err := client.New("unix://"+sock, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := New(c)
	t.Cleanup(func() { r.Shutdown(context.Background()) })
	return r
}

func TestRunStreamsStdioResizeAndExitCode(t *testing.T) {
	se := &scriptEngine{}
	r := serve(t, se)
	var stdout, stderr bytes.Buffer
	resize := make(chan engine.TerminalSize, 2)
	resize <- engine.TerminalSize{Height: 40, Width: 120}
	rep, err := r.Containers().Run(context.Background(), engine.RunOptions{
		Spec:    specgen.SpecGenerator{Command: []string{"wait-resize", "b", "c"}, Stdin: true},
		Streams: engine.Streams{Stdin: strings.NewReader("hello"), Stdout: &stdout, Stderr: &stderr, Resize: resize},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExitCode != 3 || rep.ID != "ran" {
		t.Errorf("report %+v, want exit 3", rep)
	}
	if stdout.String() != "HELLO" || stderr.String() != "err\n" {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	se.mu.Lock()
	defer se.mu.Unlock()
	if len(se.resizes) != 1 || se.resizes[0] != (engine.TerminalSize{Height: 40, Width: 120}) {
		t.Errorf("resizes seen by the engine: %v", se.resizes)
	}
}

func TestRunWithoutStdinNeverReadsIt(t *testing.T) {
	r := serve(t, &scriptEngine{})
	stdin := &countingReader{}
	var stdout bytes.Buffer
	_, err := r.Containers().Run(context.Background(), engine.RunOptions{
		Spec:    specgen.SpecGenerator{Command: []string{"x"}},
		Streams: engine.Streams{Stdin: stdin, Stdout: &stdout, Stderr: io.Discard},
	})
	if err != nil {
		t.Fatal(err)
	}
	if stdin.reads != 0 {
		t.Errorf("a run without -i read the caller's stdin %d times", stdin.reads)
	}
}

type countingReader struct{ reads int }

func (c *countingReader) Read(p []byte) (int, error) { c.reads++; return 0, io.EOF }

func TestErrorsKeepTheirSentinels(t *testing.T) {
	r := serve(t, &scriptEngine{})
	ctx := context.Background()
	_, err := r.Containers().Inspect(ctx, []string{"nope"}, engine.InspectOptions{})
	if !errors.Is(err, engine.ErrNoSuchContainer) || errors.Is(err, engine.ErrNoSuchImage) {
		t.Errorf("inspect: %v", err)
	}
	if err.Error() != noSuch("nope").Error() || errdefs.ExitCode(err) != 125 {
		t.Errorf("inspect: message %q exit %d", err, errdefs.ExitCode(err))
	}
	// Partial results come back with their error.
	list, err := r.Containers().Inspect(ctx, []string{"web", "nope"}, engine.InspectOptions{})
	if len(list) != 1 || list[0].ID != "id-web" || list[0].Labels["a"] != "b" || !errors.Is(err, engine.ErrNoSuchContainer) {
		t.Errorf("partial inspect: %+v, %v", list, err)
	}
	_, err = r.Containers().Run(ctx, engine.RunOptions{Spec: specgen.SpecGenerator{Name: "taken"}, Detach: true})
	if !errors.Is(err, engine.ErrNameInUse) {
		t.Errorf("run: %v", err)
	}
	// Errors before the stream starts come back from a stream route too.
	_, err = r.Containers().Run(ctx, engine.RunOptions{Spec: specgen.SpecGenerator{Name: "taken"}})
	if !errors.Is(err, engine.ErrNameInUse) {
		t.Errorf("run (stream): %v", err)
	}
	err = r.Containers().Logs(ctx, "nope", engine.LogsOptions{Streams: engine.Streams{Stdout: io.Discard}})
	if !errors.Is(err, engine.ErrNoSuchContainer) {
		t.Errorf("logs: %v", err)
	}
	// 304 has no body; the sentinel travels in a header.
	err = r.Containers().Rename(ctx, "web", engine.RenameOptions{NewName: "web"})
	if !errors.Is(err, engine.ErrAlreadyStarted) {
		t.Errorf("304: %v", err)
	}
}

func TestBulkReportsAndExitError(t *testing.T) {
	r := serve(t, &scriptEngine{})
	ctx := context.Background()
	reps, err := r.Containers().Start(ctx, []string{"web", "missing"}, engine.StartOptions{})
	if err != nil || len(reps) != 2 || reps[0].Err != nil || !errors.Is(reps[1].Err, engine.ErrNoSuchContainer) {
		t.Fatalf("start: %+v, %v", reps, err)
	}
	var out bytes.Buffer
	reps, err = r.Containers().Start(ctx, []string{"web"}, engine.StartOptions{Attach: true, Streams: engine.Streams{Stdout: &out}})
	var exit *errdefs.ExitError
	if !errors.As(err, &exit) || exit.Code != 3 || len(reps) != 1 || reps[0].ID != "id-web" || out.String() != "attached\n" {
		t.Fatalf("start -a: %+v, %v, %q", reps, err, out.String())
	}
	waits, err := r.Containers().Wait(ctx, []string{"web", "missing"}, engine.WaitOptions{})
	if err != nil || len(waits) != 2 || waits[0].ExitCode != 7 || !errors.Is(waits[1].Err, engine.ErrNoSuchContainer) {
		t.Fatalf("wait: %+v, %v", waits, err)
	}
}

func TestLogsFollowEndsWhenTheCallerCancels(t *testing.T) {
	r := serve(t, &scriptEngine{})
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- r.Containers().Logs(ctx, "web", engine.LogsOptions{Follow: true, Streams: engine.Streams{Stdout: &stdout, Stderr: &stderr}})
	}()
	deadline := time.Now().Add(time.Minute) // a hang, not a slow machine
	for !strings.Contains(stderr.String(), "err 2") {
		if time.Now().After(deadline) {
			t.Fatalf("no output: %q %q", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("logs -f after cancel: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("logs -f did not end after cancel")
	}
	if stdout.String() != "out 0\nout 1\nout 2\n" {
		t.Errorf("stdout %q", stdout.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestImportUploadsTheFile(t *testing.T) {
	se := &scriptEngine{}
	r := serve(t, se)
	src := filepath.Join(t.TempDir(), "rootfs.tar")
	content := bytes.Repeat([]byte("layer"), 300000) // larger than one frame or buffer
	if err := os.WriteFile(src, content, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := r.Images().Import(context.Background(), engine.ImportOptions{Source: src, Reference: "localhost/x:1"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ID != fmt.Sprintf("%d-localhost/x:1", len(content)) || !bytes.Equal(se.imported, content) {
		t.Errorf("import: %+v (engine got %d bytes)", rep, len(se.imported))
	}
	_, err = r.Images().Import(context.Background(), engine.ImportOptions{Source: filepath.Join(t.TempDir(), "missing.tar")})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("import of a missing file: %v", err)
	}
}

func TestEventsAndExists(t *testing.T) {
	r := serve(t, &scriptEngine{})
	ctx := context.Background()
	var got []int64
	err := r.System().Events(ctx, engine.EventsOptions{}, func(ev engine.Event) error {
		got = append(got, ev.Time)
		return nil
	})
	if err != nil || len(got) != 3 || got[2] != 2 {
		t.Errorf("events: %v, %v", got, err)
	}
	stop := errors.New("enough")
	err = r.System().Events(ctx, engine.EventsOptions{}, func(engine.Event) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("events with a failing callback: %v", err)
	}
	for name, want := range map[string]bool{"web": true, "other": false, "a/b": false} {
		if ok, err := r.Containers().Exists(ctx, name); err != nil || ok != want {
			t.Errorf("container exists %q: %v, %v", name, ok, err)
		}
	}
	for name, want := range map[string]bool{"localhost/busybox:latest": true, "busybox": false} {
		if ok, err := r.Images().Exists(ctx, name); err != nil || ok != want {
			t.Errorf("image exists %q: %v, %v", name, ok, err)
		}
	}
}

func TestUnreachableAndNotSkiff(t *testing.T) {
	c, err := client.New("unix://"+filepath.Join(t.TempDir(), "none.sock"), client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(c).Containers().List(context.Background(), engine.ListOptions{})
	if !errors.Is(err, client.ErrUnreachable) || errdefs.ExitCode(err) != 125 {
		t.Errorf("no service: %v", err)
	}

	sock := filepath.Join(t.TempDir(), "other.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler()}
	go srv.Serve(l)
	defer srv.Close()
	c, err = client.New("unix://"+sock, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(context.Background()); !errors.Is(err, client.ErrNotSkiff) {
		t.Errorf("ping of a non-skiff peer: %v", err)
	}
}
