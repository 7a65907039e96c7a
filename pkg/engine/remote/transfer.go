package remote

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/skiffcontainers/skiff/pkg/client"
	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/registryauth"
)

// withClientCreds sends the caller's own stored credentials for image's
// registry, as Podman's remote client does: the auth file named by
// --authfile (or the default one) is a file on the client's host, so it is
// read here and never sent as a path.
func withClientCreds(reg engine.RegistryOptions, image string) (engine.RegistryOptions, error) {
	if reg.Creds == "" {
		creds, err := registryauth.CredentialsFor(registryauth.ProcessEnv(), reg.AuthFile, image)
		if err != nil {
			return reg, err
		}
		reg.Creds = creds
	}
	reg.AuthFile = ""
	return reg, nil
}

func (e *images) Pull(ctx context.Context, opts engine.PullOptions, progress io.Writer) (*engine.PullReport, error) {
	reg, err := withClientCreds(opts.RegistryOptions, opts.Reference)
	if err != nil {
		return nil, err
	}
	opts.RegistryOptions = reg
	var out engine.PullReport
	err = e.c.Stream(ctx, "/images/pull", opts, client.StreamOptions{Streams: engine.Streams{Stdout: progress}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *images) Push(ctx context.Context, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	if opts.SignBySigstorePrivateKeyFile != "" || opts.SignSigstorePrivateKeyPassphrase != nil {
		// Podman's remote client does not offer signing either: the key
		// would have to leave the client's host and be kept by the service.
		return nil, fmt.Errorf("signing with a sigstore private key is not supported with a remote service: the key stays on the client's host: %w", errdefs.ErrInvalidArg)
	}
	dest := opts.Destination
	if dest == "" {
		dest = opts.Source
	}
	reg, err := withClientCreds(opts.RegistryOptions, dest)
	if err != nil {
		return nil, err
	}
	opts.RegistryOptions = reg
	var out engine.PushReport
	err = e.c.Stream(ctx, "/images/push", opts, client.StreamOptions{Streams: engine.Streams{Stdout: progress}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Save streams the archive from the service into opts.Output (a path on
// the client's host) or out. Directory formats are not streamed.
func (e *images) Save(ctx context.Context, opts engine.SaveOptions, out io.Writer) error {
	switch opts.Format {
	case "oci-dir", "docker-dir":
		return fmt.Errorf("format %s cannot be saved through a service; use docker-archive or oci-archive: %w", opts.Format, errdefs.ErrInvalidArg)
	}
	if opts.Output != "" {
		path := opts.Output
		opts.Output = ""
		return saveToFile(path, func(out io.Writer) error {
			return e.c.Stream(ctx, "/images/save", opts, client.StreamOptions{Streams: engine.Streams{Stdout: out}}, nil)
		})
	}
	return e.c.Stream(ctx, "/images/save", opts, client.StreamOptions{Streams: engine.Streams{Stdout: out}}, nil)
}

// saveToFile writes what write produces to path as the local save does:
// into a temporary file beside it, renamed over it once complete, so that
// a failed save leaves a file already there as it was. Anything but a
// regular file, and paths under /dev and /proc, are written to directly.
func saveToFile(path string, write func(io.Writer) error) error {
	clean := filepath.Clean(path)
	direct := strings.HasPrefix(clean, "/dev/") || strings.HasPrefix(clean, "/proc/")
	if real, err := filepath.EvalSymlinks(path); err == nil && !direct {
		path = real // replace the file a link points to, not the link
	}
	fi, err := os.Stat(path)
	if direct || err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return fmt.Errorf("creating the output file: %w", err)
		}
		defer f.Close()
		return write(f)
	}
	// Not os.CreateTemp: its 0600 would ignore the umask a direct
	// create honours.
	var f *os.File
	for {
		f, err = os.OpenFile(filepath.Join(filepath.Dir(path), ".skiff-save-"+rand.Text()), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("creating the output file: %w", err)
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	return err
}

// Load uploads the archive at opts.Input (on the client's host) or in.
func (e *images) Load(ctx context.Context, opts engine.LoadOptions, in io.Reader, progress io.Writer) (*engine.LoadReport, error) {
	if opts.Input != "" {
		f, err := os.Open(opts.Input)
		if err != nil {
			return nil, fmt.Errorf("opening the archive: %w", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a directory; only archives can be loaded through a service: %w", opts.Input, errdefs.ErrInvalidArg)
		}
		in = f
		opts.Input = ""
	}
	var out engine.LoadReport
	if err := e.c.Upload(ctx, "/images/load", opts, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *images) Untag(ctx context.Context, name string, opts engine.UntagOptions) error {
	return e.c.Do(ctx, http.MethodPost, "/images/untag", wire.Named[engine.UntagOptions]{Name: name, Options: opts}, nil)
}

func (e *images) History(ctx context.Context, name string) ([]engine.ImageHistory, error) {
	var out []engine.ImageHistory
	err := e.c.Do(ctx, http.MethodGet, "/images/history?name="+url.QueryEscape(name), nil, &out)
	return out, err
}

func (e *images) Commit(ctx context.Context, container string, opts engine.CommitOptions) (*engine.CommitReport, error) {
	var out engine.CommitReport
	err := e.c.Do(ctx, http.MethodPost, "/images/commit", wire.Named[engine.CommitOptions]{Name: container, Options: opts}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Export streams the container's filesystem from the service into out.
func (e *images) Export(ctx context.Context, container string, out io.Writer) error {
	return e.c.Stream(ctx, "/containers/export", wire.Named[struct{}]{Name: container}, client.StreamOptions{Streams: engine.Streams{Stdout: out}}, nil)
}

func (e *images) Prune(ctx context.Context, opts engine.ImagePruneOptions) (*engine.ImagePruneReport, error) {
	var out engine.ImagePruneReport
	if err := e.c.Do(ctx, http.MethodPost, "/images/prune", opts, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *images) Search(ctx context.Context, opts engine.SearchOptions) ([]engine.SearchResult, error) {
	reg, err := withClientCreds(opts.RegistryOptions, opts.Term)
	if err != nil {
		return nil, err
	}
	opts.RegistryOptions = reg
	var out []engine.SearchResult
	err = e.c.Do(ctx, http.MethodPost, "/images/search", opts, &out)
	return out, err
}

// manifestCall is the body of the manifest routes.
type manifestCall = wire.Named[engine.ManifestAddOptions]

func (e *images) ManifestCreate(ctx context.Context, name string, opts engine.ManifestAddOptions) (string, error) {
	var out string
	err := e.c.Do(ctx, http.MethodPost, "/manifests/create", manifestCall{Name: name, Options: opts}, &out)
	return out, err
}

func (e *images) ManifestAdd(ctx context.Context, list string, opts engine.ManifestAddOptions) (string, error) {
	if len(opts.Images) > 0 {
		reg, err := withClientCreds(opts.RegistryOptions, opts.Images[0])
		if err != nil {
			return "", err
		}
		opts.RegistryOptions = reg
	}
	var out string
	err := e.c.Do(ctx, http.MethodPost, "/manifests/add", manifestCall{Name: list, Options: opts}, &out)
	return out, err
}

func (e *images) ManifestInspect(ctx context.Context, list string) (json.RawMessage, error) {
	var out json.RawMessage
	err := e.c.Do(ctx, http.MethodGet, "/manifests/inspect?name="+url.QueryEscape(list), nil, &out)
	return out, err
}

func (e *images) ManifestPush(ctx context.Context, list string, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	dest := opts.Destination
	if dest == "" {
		dest = list
	}
	reg, err := withClientCreds(opts.RegistryOptions, dest)
	if err != nil {
		return nil, err
	}
	opts.RegistryOptions = reg
	opts.Source = list
	var out engine.PushReport
	err = e.c.Stream(ctx, "/manifests/push", opts, client.StreamOptions{Streams: engine.Streams{Stdout: progress}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (e *images) ManifestRemove(ctx context.Context, lists []string) ([]engine.ImageRemoveReport, error) {
	var out []engine.ImageRemoveReport
	err := e.c.Do(ctx, http.MethodPost, "/manifests/remove", bulk(lists, struct{}{}), &out)
	return out, err
}

func (e *images) Diff(ctx context.Context, name string) ([]engine.Change, error) {
	var out []engine.Change
	err := e.c.Do(ctx, http.MethodGet, "/images/diff?name="+url.QueryEscape(name), nil, &out)
	return out, err
}

// Login has the service check the credentials against the registry from
// its host; nothing is stored on either side.
func (e *images) Login(ctx context.Context, opts engine.LoginOptions) error {
	return e.c.Do(ctx, http.MethodPost, "/registries/login", opts, nil)
}
