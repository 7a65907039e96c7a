package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/containers/common/libimage"
	"github.com/containers/image/v5/docker/reference"
	storageTransport "github.com/containers/image/v5/storage"
	"github.com/containers/image/v5/types"
	"github.com/containers/storage"
	"github.com/opencontainers/go-digest"
	ociv1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/skiffcontainers/skiff/pkg/config"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/registryauth"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// Store is skiff's image store: containers/storage for the bits and
// containers/common's libimage for name resolution and transports.
type Store struct {
	store    storage.Store
	rt       *libimage.Runtime
	policies config.PolicyLocator
}

// New wraps an open containers/storage store. policies finds the
// signature policy each transfer obeys. What commits that died left in
// the store is removed here.
func New(store storage.Store, policies config.PolicyLocator) (*Store, error) {
	policy := policies.Resolve()
	if err := policy.EnsureFile(); err != nil {
		return nil, err
	}
	// The runtime's own system context is what libimage uses where it
	// takes no per-call options (tag listing, searches, run's pulls, the
	// read side of a manifest list push); every transfer of ours names
	// its policy per call (policyPath), so only those see the policy as
	// it was when the store was opened.
	sys := &types.SystemContext{
		AuthFilePath:        registryauth.ReadAuthFile(registryauth.ProcessEnv(), ""),
		SignaturePolicyPath: policy.Path,
	}
	rt, err := libimage.RuntimeFromStore(store, &libimage.RuntimeOptions{SystemContext: sys})
	if err != nil {
		return nil, fmt.Errorf("opening image runtime: %w", err)
	}
	// "containers-storage:NAME" (push, pull, manifest add) without a
	// [driver@root] prefix means the default store of the transport, a
	// process-wide setting of containers/image; ours is the only store a
	// skiff process opens.
	storageTransport.Transport.SetStore(store)
	s := &Store{store: store, rt: rt, policies: policies}
	// Undo commits that died (pending.go): one ReadDir when there are
	// none, so every command can afford it.
	s.recoverCommits()
	return s, nil
}

// policyPath resolves the signature policy for one transfer (override:
// a per-call --signature-policy), writes the built-in one when that is in
// force, and refuses, naming file, line and column, one that is not JSON.
func (s *Store) policyPath(override string) (string, error) {
	p := s.policies.Resolve().WithOverride(override)
	if err := p.EnsureFile(); err != nil {
		return "", err
	}
	if err := p.CheckSyntax(); err != nil {
		return "", errdefs.As(errdefs.ErrInvalidArg, err.Error())
	}
	return p.Path, nil
}

// Image is what the container engine needs to know of an image.
type Image struct {
	ID       string
	Name     string
	Names    []string
	TopLayer string
	Created  time.Time
	Config   specgen.ImageConfig
}

// Lookup resolves a name, short name, ID or ID prefix to a local image.
func (s *Store) Lookup(ctx context.Context, name string) (*Image, error) {
	img, resolved, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return nil, lookupError(name, err)
	}
	cfg, err := s.config(img.ID())
	if err != nil {
		return nil, s.explain(img.ID(), fmt.Errorf("reading config of image %s: %w", name, err))
	}
	if resolved == "" {
		resolved = name
	}
	return &Image{
		ID:       img.ID(),
		Name:     resolved,
		Names:    img.Names(),
		TopLayer: img.TopLayer(),
		Created:  img.Created(),
		Config:   toImageConfig(cfg),
	}, nil
}

// Resolve is Lookup without reading the image's config: the ID and names
// of the image name refers to, even when the image is broken.
func (s *Store) Resolve(ctx context.Context, name string) (id string, names []string, err error) {
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return "", nil, lookupError(name, err)
	}
	return img.ID(), img.Names(), nil
}

// Descendants returns the ID of the image name refers to and of every
// image built on it (its children, theirs, …): what Docker's ancestor
// filter selects containers by.
func (s *Store) Descendants(ctx context.Context, name string) ([]string, error) {
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return nil, lookupError(name, err)
	}
	ids := []string{img.ID()}
	seen := map[string]bool{img.ID(): true}
	for queue := []*libimage.Image{img}; len(queue) > 0; queue = queue[1:] {
		children, err := queue[0].Children(ctx)
		if err != nil {
			return ids, fmt.Errorf("finding images built on %s: %w", name, err)
		}
		for _, c := range children {
			if !seen[c.ID()] {
				seen[c.ID()] = true
				ids = append(ids, c.ID())
				queue = append(queue, c)
			}
		}
	}
	return ids, nil
}

func lookupError(name string, err error) error {
	if errors.Is(err, storage.ErrImageUnknown) {
		return fmt.Errorf("%s: image not known: %w", name, errdefs.ErrNoSuchImage)
	}
	if reason := referenceError(err); reason != nil {
		return fmt.Errorf("%s: %w: %w", name, reason, errdefs.ErrInvalidArg)
	}
	return fmt.Errorf("looking up image %s: %w", name, err)
}

// referenceSyntax are the reasons a string is not an image reference.
var referenceSyntax = []error{
	reference.ErrReferenceInvalidFormat, reference.ErrTagInvalidFormat, reference.ErrDigestInvalidFormat,
	reference.ErrNameContainsUppercase, reference.ErrNameEmpty, reference.ErrNameTooLong, reference.ErrNameNotCanonical,
	digest.ErrDigestInvalidFormat, digest.ErrDigestInvalidLength, digest.ErrDigestUnsupported,
}

// referenceError returns why err says a name is no image reference, or
// nil when it says something else. libimage's messages name the input at
// each level ("normalizing name "x": normalizing name "x": invalid
// reference format"); callers name it once and add this reason.
func referenceError(err error) error {
	for _, reason := range referenceSyntax {
		if errors.Is(err, reason) {
			return reason
		}
	}
	return nil
}

// config reads an image's OCI config blob straight from storage. Images made
// by containers/image are keyed by their config digest, which is their ID;
// reading the blob avoids libimage's Inspect, which walks the layer tree.
func (s *Store) config(id string) (*ociv1.Image, error) {
	blob, err := s.store.ImageBigData(id, "sha256:"+id)
	if err != nil {
		return nil, err
	}
	var img ociv1.Image
	if err := json.Unmarshal(blob, &img); err != nil {
		return nil, fmt.Errorf("decoding image config: %w", err)
	}
	return &img, nil
}

func toImageConfig(img *ociv1.Image) specgen.ImageConfig {
	c := img.Config
	var exposed []string
	for p := range c.ExposedPorts {
		exposed = append(exposed, p)
	}
	sort.Strings(exposed)
	var volumes []string
	for v := range c.Volumes {
		volumes = append(volumes, v)
	}
	sort.Strings(volumes)
	return specgen.ImageConfig{
		ExposedPorts: exposed,
		Volumes:      volumes,
		Env:          c.Env,
		Cmd:          c.Cmd,
		Entrypoint:   c.Entrypoint,
		WorkingDir:   c.WorkingDir,
		User:         c.User,
		StopSignal:   c.StopSignal,
		Labels:       c.Labels,
	}
}

// Exists reports whether name resolves to a local image.
func (s *Store) Exists(ctx context.Context, name string) (bool, error) {
	_, _, err := s.rt.LookupImage(name, nil)
	if errors.Is(err, storage.ErrImageUnknown) {
		return false, nil
	}
	return err == nil, err
}

// ImportOptions describes a rootfs tarball import.
type ImportOptions struct {
	Path      string
	Reference string
	Changes   []string
	Message   string
}

// Import makes an image from a root filesystem tarball and returns its ID.
func (s *Store) Import(ctx context.Context, opts ImportOptions) (string, error) {
	policy, err := s.policyPath("")
	if err != nil {
		return "", err
	}
	name, err := s.rt.Import(ctx, opts.Path, &libimage.ImportOptions{
		CopyOptions:   libimage.CopyOptions{SignaturePolicyPath: policy},
		Changes:       opts.Changes,
		CommitMessage: opts.Message,
		Tag:           opts.Reference,
	})
	if err != nil {
		return "", fmt.Errorf("importing %s: %w", opts.Path, err)
	}
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return "", lookupError(name, err)
	}
	return img.ID(), nil
}

// Tag adds the name repo[:tag] to an image.
func (s *Store) Tag(ctx context.Context, name, newName string) error {
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return lookupError(name, err)
	}
	if err := img.Tag(newName); err != nil {
		if reason := referenceError(err); reason != nil {
			err = reason
		}
		return fmt.Errorf("tagging %s as %q: %v: %w", name, newName, err, errdefs.ErrInvalidArg)
	}
	return nil
}
