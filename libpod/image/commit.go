package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/containers/common/libimage"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/storage"
	"github.com/containers/storage/pkg/archive"
	"github.com/containers/storage/pkg/stringid"
	"github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ociv1 "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// CommitOptions make an image of a container's filesystem changes.
type CommitOptions struct {
	// Container is the container's storage ID (skiff uses the container ID).
	Container string
	// Reference names the new image; empty leaves it unnamed.
	Reference string
	// Config overrides fields of the base image's config that the
	// container set (its command, environment, …); nil keeps the base's.
	Config *ociv1.ImageConfig
	// Changes are Dockerfile-style instructions applied last.
	Changes []string
	Message string
	Author  string
}

// Commit stores the container's layer, as a new layer on top of its
// image's, and an image made of it: the base config with the container's
// overrides and the changes applied, one more diff ID and history entry,
// and an OCI manifest listing the layers by uncompressed digest (what the
// store can serve; push and save compress as their destination wants).
// Everything that can be checked is checked before the first write; a
// commit that fails, or dies, leaves nothing new in the store (see
// pending.go).
func (s *Store) Commit(ctx context.Context, opts CommitOptions) (string, error) {
	name, err := commitName(opts.Reference)
	if err != nil {
		return "", err
	}
	ctr, err := s.store.Container(opts.Container)
	if err != nil {
		return "", fmt.Errorf("container storage %s: %w", opts.Container, err)
	}
	base, err := s.store.Image(ctr.ImageID)
	if err != nil {
		return "", fmt.Errorf("image %s of the container: %w", ctr.ImageID, err)
	}
	cfg, err := s.config(base.ID)
	if err != nil {
		return "", fmt.Errorf("reading the config of image %s: %w", base.ID, err)
	}
	if err := applyConfig(cfg, opts); err != nil {
		return "", err
	}

	p, err := beginCommit(pendingDir(s.store), stringid.GenerateRandomID())
	if err != nil {
		return "", err
	}
	id, err := s.commit(p, ctr.LayerID, base.TopLayer, cfg, name)
	if err != nil {
		if uerr := s.undo(p); uerr != nil {
			// The marker stays for a later recovery to finish the job.
			logrus.Warnf("commit: undoing a failed commit: %v", uerr)
			p.release()
		} else {
			p.finish()
		}
		return "", err
	}
	p.finish()
	return id, nil
}

// commitName validates and normalizes the name a commit gives its image
// ("" for none), before anything is written.
func commitName(ref string) (string, error) {
	if ref == "" {
		return "", nil
	}
	if strings.HasPrefix(ref, "sha256:") {
		return "", fmt.Errorf("invalid image name %q: a name cannot be an image ID: %w", ref, errdefs.ErrInvalidArg)
	}
	named, err := libimage.NormalizeName(ref)
	if err != nil {
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return "", fmt.Errorf("invalid image name %q: %v: %w", ref, err, errdefs.ErrInvalidArg)
	}
	if _, ok := named.(reference.Digested); ok {
		return "", fmt.Errorf("invalid image name %q: a commit cannot name its image by digest: %w", ref, errdefs.ErrInvalidArg)
	}
	return named.String(), nil
}

// commit writes the layer and the image under p's marker.
func (s *Store) commit(p *pendingCommit, ctrLayer, parent string, cfg *ociv1.Image, name string) (string, error) {
	diff, err := s.spoolDiff(ctrLayer, p.spoolPath())
	if err != nil {
		return "", err
	}
	defer diff.Close()
	layer, _, err := s.store.PutLayer(p.layer, parent, nil, "", false, nil, diff)
	if err != nil {
		return "", fmt.Errorf("storing the container's changes as a layer: %w", err)
	}
	return s.commitImage(p, cfg, layer, name)
}

func ptr[T any](v T) *T { return &v }

// spoolDiff copies a layer's changes, without the engine's mount points, to
// the file at path. The diff stream
// holds the layer store's read lock until closed, and PutLayer needs its
// write lock, so the two cannot be chained directly.
func (s *Store) spoolDiff(layerID, path string) (*os.File, error) {
	diff, err := s.store.Diff("", layerID, &storage.DiffOptions{Compression: ptr(archive.Uncompressed)})
	if err != nil {
		return nil, fmt.Errorf("reading the container's changes: %w", err)
	}
	defer diff.Close()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("spooling the container's changes: %w", err)
	}
	if err := copyWithoutMountTargets(f, diff); err != nil {
		f.Close()
		return nil, fmt.Errorf("reading the container's changes: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// applyConfig sets the new image's config: overrides, changes, metadata.
func applyConfig(cfg *ociv1.Image, opts CommitOptions) error {
	now := time.Now().UTC()
	if o := opts.Config; o != nil {
		if len(o.Cmd) > 0 {
			cfg.Config.Cmd = o.Cmd
		}
		if o.Entrypoint != nil {
			cfg.Config.Entrypoint = o.Entrypoint
		}
		cfg.Config.Env = append(cfg.Config.Env, o.Env...)
		if o.WorkingDir != "" {
			cfg.Config.WorkingDir = o.WorkingDir
		}
		if o.User != "" {
			cfg.Config.User = o.User
		}
		cfg.Config.Labels = mergeMap(cfg.Config.Labels, o.Labels)
	}
	if len(opts.Changes) > 0 {
		ch, err := libimage.ImageConfigFromChanges(opts.Changes)
		if err != nil {
			return fmt.Errorf("%v: %w", err, errdefs.ErrInvalidArg)
		}
		mergeChanges(&cfg.Config, ch.ImageConfig)
	}
	cfg.Created = &now
	if opts.Author != "" {
		cfg.Author = opts.Author
	}
	cfg.History = append(cfg.History, ociv1.History{Created: &now, CreatedBy: "skiff commit", Author: opts.Author, Comment: opts.Message})
	return nil
}

// mergeChanges applies what Dockerfile instructions set: scalars and
// lists replace, maps and ENV add.
func mergeChanges(dst *ociv1.ImageConfig, ch ociv1.ImageConfig) {
	if ch.User != "" {
		dst.User = ch.User
	}
	if ch.WorkingDir != "" {
		dst.WorkingDir = ch.WorkingDir
	}
	if ch.StopSignal != "" {
		dst.StopSignal = ch.StopSignal
	}
	if len(ch.Cmd) > 0 {
		dst.Cmd = ch.Cmd
	}
	if len(ch.Entrypoint) > 0 {
		dst.Entrypoint = ch.Entrypoint
	}
	dst.Env = append(dst.Env, ch.Env...)
	dst.Labels = mergeMap(dst.Labels, ch.Labels)
	for k, v := range ch.ExposedPorts {
		if dst.ExposedPorts == nil {
			dst.ExposedPorts = map[string]struct{}{}
		}
		dst.ExposedPorts[k] = v
	}
	for k, v := range ch.Volumes {
		if dst.Volumes == nil {
			dst.Volumes = map[string]struct{}{}
		}
		dst.Volumes[k] = v
	}
}

func mergeMap(dst, src map[string]string) map[string]string {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[string]string{}
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// commitImage writes the config and manifest for top and records the
// image: unnamed, then its data, then its name in one write of the image
// store (which moves the name from an image that held it), so that no
// name ever points at a half-written image.
func (s *Store) commitImage(p *pendingCommit, cfg *ociv1.Image, top *storage.Layer, name string) (string, error) {
	chain, err := s.layerChain(top)
	if err != nil {
		return "", err
	}
	cfg.RootFS = ociv1.RootFS{Type: "layers"}
	m := ociv1.Manifest{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ociv1.MediaTypeImageManifest}
	for _, l := range chain {
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, l.UncompressedDigest)
		m.Layers = append(m.Layers, ociv1.Descriptor{MediaType: ociv1.MediaTypeImageLayer, Digest: l.UncompressedDigest, Size: l.UncompressedSize})
	}
	cfgBlob, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("encoding the image config: %w", err)
	}
	cfgDigest := digest.FromBytes(cfgBlob)
	m.Config = ociv1.Descriptor{MediaType: ociv1.MediaTypeImageConfig, Digest: cfgDigest, Size: int64(len(cfgBlob))}
	mBlob, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encoding the manifest: %w", err)
	}
	mDigest := digest.FromBytes(mBlob)
	id := cfgDigest.Encoded()
	if err := p.setImage(id); err != nil {
		return "", err
	}
	if _, err := s.store.CreateImage(id, nil, top.ID, "", &storage.ImageOptions{CreationDate: *cfg.Created, Digest: mDigest}); err != nil {
		return "", fmt.Errorf("creating the image: %w", err)
	}
	if err := s.store.SetImageBigData(id, cfgDigest.String(), cfgBlob, nil); err != nil {
		return "", fmt.Errorf("storing the image config: %w", err)
	}
	for _, key := range []string{"manifest-" + mDigest.String(), storage.ImageDigestBigDataKey} {
		if err := s.store.SetImageBigData(id, key, mBlob, manifest.Digest); err != nil {
			return "", fmt.Errorf("storing the manifest: %w", err)
		}
	}
	if name != "" {
		if err := s.store.AddNames(id, []string{name}); err != nil {
			return "", fmt.Errorf("naming the image %s: %w", name, err)
		}
	}
	return id, nil
}

// layerChain lists top and its parents, base first.
func (s *Store) layerChain(top *storage.Layer) ([]*storage.Layer, error) {
	var chain []*storage.Layer
	for l := top; l != nil; {
		if l.UncompressedDigest == "" {
			return nil, fmt.Errorf("layer %s has no recorded digest; cannot describe it in a manifest", l.ID)
		}
		chain = append([]*storage.Layer{l}, chain...)
		if l.Parent == "" {
			break
		}
		p, err := s.store.Layer(l.Parent)
		if err != nil {
			return nil, fmt.Errorf("reading layer %s: %w", l.Parent, err)
		}
		l = p
	}
	return chain, nil
}

// Export writes a container's whole filesystem to out as a tar stream.
func (s *Store) Export(ctx context.Context, container string, out io.Writer) error {
	mp, err := s.store.Mount(container, "")
	if err != nil {
		return fmt.Errorf("mounting the container's filesystem: %w", err)
	}
	defer func() {
		if _, err := s.store.Unmount(container, false); err != nil {
			logrus.Debugf("export: unmounting %s: %v", container, err)
		}
	}()
	rc, err := archive.TarWithOptions(mp, &archive.TarOptions{Compression: archive.Uncompressed})
	if err != nil {
		return fmt.Errorf("archiving the container's filesystem: %w", err)
	}
	defer rc.Close()
	if _, err := io.Copy(out, rc); err != nil {
		return fmt.Errorf("writing the archive: %w", err)
	}
	return nil
}

// Diff lists the changes of a layer against its parent: a container's
// (by storage ID) or, when no container has that ID, an image's top layer.
func (s *Store) Diff(ctx context.Context, containerOrImage string) ([]engine.Change, error) {
	layer, isContainer := "", false
	if ctr, err := s.store.Container(containerOrImage); err == nil {
		layer, isContainer = ctr.LayerID, true
	} else {
		img, _, err := s.rt.LookupImage(containerOrImage, nil)
		if err != nil {
			return nil, lookupError(containerOrImage, err)
		}
		layer = img.TopLayer()
	}
	changes, err := s.store.Changes("", layer)
	if err != nil {
		return nil, fmt.Errorf("listing the changes of %s: %w", containerOrImage, err)
	}
	out := make([]engine.Change, 0, len(changes))
	for _, c := range changes {
		if isContainer && c.Kind == archive.ChangeAdd && etcMountTargets[c.Path] {
			continue
		}
		out = append(out, engine.Change{Path: c.Path, Kind: int(c.Kind)})
	}
	return out, nil
}
