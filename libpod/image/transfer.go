package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/containers/common/libimage"
	"github.com/containers/common/pkg/config"
	"github.com/containers/image/v5/docker"
	"github.com/containers/image/v5/docker/reference"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/image/v5/pkg/compression"
	"github.com/containers/image/v5/pkg/sysregistriesv2"
	"github.com/containers/image/v5/types"
	"github.com/containers/storage"
	"github.com/docker/distribution/registry/api/errcode"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/registryauth"
)

// copyOptions turns the engine's registry settings into libimage's.
// Progress is attached separately (attachProgress).
func copyOptions(reg engine.RegistryOptions) libimage.CopyOptions {
	o := libimage.CopyOptions{
		AuthFilePath: registryauth.ReadAuthFile(registryauth.ProcessEnv(), reg.AuthFile),
		CertDirPath:  reg.CertDir,
		Credentials:  reg.Creds,
	}
	if reg.TLSVerify != nil {
		o.InsecureSkipTLSVerify = types.NewOptionalBool(!*reg.TLSVerify)
	}
	return o
}

// Pull fetches opts.Reference (any transport; docker:// when none is given)
// and returns the IDs stored. With policy missing (the default) an image
// already in the store is not looked up remotely at all.
func (s *Store) Pull(ctx context.Context, opts engine.PullOptions, progress io.Writer) (*engine.PullReport, error) {
	policyPath, err := s.policyPath(opts.SignaturePolicy)
	if err != nil {
		return nil, err
	}
	policy := config.PullPolicyMissing
	if opts.Policy != "" {
		p, err := config.ParsePullPolicy(opts.Policy)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, errdefs.ErrInvalidArg)
		}
		policy = p
	}
	refs := []string{opts.Reference}
	if opts.AllTags {
		tags, err := s.listTags(ctx, opts)
		if err != nil {
			return nil, err
		}
		refs = tags
	}
	po := &libimage.PullOptions{CopyOptions: copyOptions(opts.RegistryOptions)}
	po.OS, po.Architecture, po.Variant = opts.OS, opts.Arch, opts.Variant
	po.SignaturePolicyPath = policyPath
	rp := attachProgress(&po.CopyOptions, progress, opts.OnLayer)
	defer rp.close()
	rep := &engine.PullReport{Images: []string{}}
	seen := map[string]bool{}
	for _, ref := range refs {
		imgs, err := s.rt.Pull(ctx, ref, policy, po)
		if err != nil {
			return nil, registryError("pulling "+ref, s.shortNameHint(ref, err))
		}
		for _, img := range imgs {
			if !seen[img.ID()] {
				seen[img.ID()] = true
				rep.Images = append(rep.Images, img.ID())
			}
		}
	}
	return rep, nil
}

// shortNameHint adds to containers/image's refusal of an ambiguous short
// name (enforcing mode, no TTY to ask on) the fully qualified names the
// user can choose from.
func (s *Store) shortNameHint(ref string, err error) error {
	if !strings.Contains(err.Error(), "cannot prompt without a TTY") {
		return err
	}
	regs, lerr := sysregistriesv2.UnqualifiedSearchRegistries(s.rt.SystemContext())
	if lerr != nil || len(regs) == 0 {
		return err
	}
	names := make([]string, len(regs))
	for i, r := range regs {
		names[i] = r + "/" + ref
	}
	return fmt.Errorf("%w: name the image fully, one of: %s", err, strings.Join(names, ", "))
}

// listTags names every tag of a repository. libimage's own --all-tags
// lists them with the runtime's settings, ignoring the call's TLS, cert
// and credential options, so the listing is done here with them.
func (s *Store) listTags(ctx context.Context, opts engine.PullOptions) ([]string, error) {
	name := strings.TrimPrefix(opts.Reference, "docker://")
	named, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return nil, fmt.Errorf("--all-tags needs a registry repository: %v: %w", err, errdefs.ErrInvalidArg)
	}
	if _, tagged := named.(reference.Tagged); tagged {
		return nil, fmt.Errorf("--all-tags takes a repository without a tag: %w", errdefs.ErrInvalidArg)
	}
	if _, digested := named.(reference.Digested); digested {
		return nil, fmt.Errorf("--all-tags takes a repository without a digest: %w", errdefs.ErrInvalidArg)
	}
	ref, err := docker.NewReference(reference.TagNameOnly(named))
	if err != nil {
		return nil, err
	}
	reg := opts.RegistryOptions
	// The runtime's context carries registries.conf's path
	// (CONTAINERS_REGISTRIES_CONF, which libimage reads, not containers/image).
	sys := new(types.SystemContext)
	*sys = *s.rt.SystemContext()
	sys.AuthFilePath = registryauth.ReadAuthFile(registryauth.ProcessEnv(), reg.AuthFile)
	if reg.CertDir != "" {
		sys.DockerCertPath = reg.CertDir
	}
	if reg.TLSVerify != nil {
		sys.DockerInsecureSkipTLSVerify = types.NewOptionalBool(!*reg.TLSVerify)
	}
	if reg.Creds != "" {
		user, pass, _ := strings.Cut(reg.Creds, ":")
		sys.DockerAuthConfig = &types.DockerAuthConfig{Username: user, Password: pass}
	}
	tags, err := docker.GetRepositoryTags(ctx, sys, ref)
	if err != nil {
		return nil, registryError("listing the tags of "+named.Name(), err)
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		out = append(out, named.Name()+":"+t)
	}
	return out, nil
}

// Push copies a local image to opts.Destination and returns the digest of
// the manifest written.
func (s *Store) Push(ctx context.Context, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	policyPath, err := s.policyPath("")
	if err != nil {
		return nil, err
	}
	if err := s.checkBroken(opts.Source); err != nil {
		return nil, err
	}
	po := &libimage.PushOptions{CopyOptions: copyOptions(opts.RegistryOptions)}
	po.SignaturePolicyPath = policyPath
	po.SignBySigstorePrivateKeyFile = opts.SignBySigstorePrivateKeyFile
	po.SignSigstorePrivateKeyPassphrase = opts.SignSigstorePrivateKeyPassphrase
	rp := attachProgress(&po.CopyOptions, progress, opts.OnLayer)
	defer rp.close()
	if opts.CompressionFormat != "" {
		algo, err := compression.AlgorithmByName(opts.CompressionFormat)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, errdefs.ErrInvalidArg)
		}
		po.CompressionFormat = &algo
		po.ForceCompressionFormat = true
	}
	raw, err := s.rt.Push(ctx, opts.Source, opts.Destination, po)
	if err != nil {
		if errors.Is(err, storage.ErrImageUnknown) {
			return nil, lookupError(opts.Source, err)
		}
		dest := opts.Destination
		if dest == "" {
			dest = opts.Source
		}
		return nil, registryError("pushing "+dest, err)
	}
	d, err := manifest.Digest(raw)
	if err != nil {
		return nil, fmt.Errorf("digesting the pushed manifest: %w", err)
	}
	return &engine.PushReport{Digest: d.String(), Size: len(raw)}, nil
}

// registryError classifies a transfer failure: a registry that wants
// credentials becomes errdefs.ErrAuthRequired, an unknown image ErrNoSuchImage.
func registryError(what string, err error) error {
	var ec errcode.Error
	var badCreds docker.ErrUnauthorizedForCredentials
	switch {
	case errors.As(err, &badCreds),
		errors.As(err, &ec) && (ec.Code == errcode.ErrorCodeUnauthorized || ec.Code == errcode.ErrorCodeDenied),
		strings.Contains(err.Error(), "authentication required"):
		msg := what + ": " + err.Error()
		if !strings.HasSuffix(msg, errdefs.ErrAuthRequired.Error()) {
			msg += ": " + errdefs.ErrAuthRequired.Error()
		}
		return errdefs.Reword(msg, err, errdefs.ErrAuthRequired)
	case errors.Is(err, storage.ErrImageUnknown):
		return fmt.Errorf("%s: %v: %w", what, err, errdefs.ErrNoSuchImage)
	case referenceError(err) != nil:
		return fmt.Errorf("%s: %w: %w", what, referenceError(err), errdefs.ErrInvalidArg)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// saveFormats are the formats Save knows; the dir ones need an Output.
var saveFormats = map[string]bool{"docker-archive": true, "oci-archive": true, "oci-dir": false, "docker-dir": false}

// Save writes images to opts.Output, or, when it is empty, to out. An
// archive for out is first written to a private temporary directory,
// because containers/image writes archives by path.
func (s *Store) Save(ctx context.Context, opts engine.SaveOptions, out io.Writer) error {
	policyPath, err := s.policyPath("")
	if err != nil {
		return err
	}
	format := opts.Format
	if format == "" {
		format = "docker-archive"
	}
	archive, ok := saveFormats[format]
	if !ok {
		return fmt.Errorf("unknown save format %q (want docker-archive, oci-archive, oci-dir or docker-dir): %w", format, errdefs.ErrInvalidArg)
	}
	if len(opts.Names) == 0 {
		return fmt.Errorf("no image to save: %w", errdefs.ErrInvalidArg)
	}
	for _, n := range opts.Names {
		if err := s.checkBroken(n); err != nil {
			return err
		}
		if _, _, err := s.rt.LookupImage(n, nil); err != nil {
			return lookupError(n, err)
		}
	}
	so := &libimage.SaveOptions{}
	so.SignaturePolicyPath = policyPath
	if opts.Output != "" {
		if archive {
			return s.saveReplacing(ctx, opts.Names, format, opts.Output)
		}
		if err := s.rt.Save(ctx, opts.Names, format, opts.Output, so); err != nil {
			return fmt.Errorf("saving %s: %w", strings.Join(opts.Names, ", "), err)
		}
		return nil
	}
	if !archive {
		return fmt.Errorf("format %s writes a directory: name it with --output: %w", format, errdefs.ErrInvalidArg)
	}
	dir, err := os.MkdirTemp("", "skiff-save-")
	if err != nil {
		return fmt.Errorf("making a temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "archive.tar")
	if err := s.rt.Save(ctx, opts.Names, format, path, so); err != nil {
		return fmt.Errorf("saving %s: %w", strings.Join(opts.Names, ", "), err)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(out, f); err != nil {
		return fmt.Errorf("writing the archive: %w", err)
	}
	return nil
}

// saveReplacing writes an archive to path as Docker does: replacing a file
// already there, and only once the archive is complete, so that a failed
// save leaves the old file as it was. containers/image refuses to write
// over an archive, so the new one is made in a private directory beside
// path (the same file system) and renamed over it. Anything but a regular
// file, and any path under /dev or /proc (-o /dev/stdout, whatever fd 1
// is), is written to directly.
func (s *Store) saveReplacing(ctx context.Context, names []string, format, path string) error {
	direct := strings.HasPrefix(filepath.Clean(path), "/dev/") || strings.HasPrefix(filepath.Clean(path), "/proc/")
	if real, err := filepath.EvalSymlinks(path); err == nil && !direct {
		path = real // replace the file a link points to, not the link
	}
	if fi, err := os.Stat(path); direct || err == nil && !fi.Mode().IsRegular() {
		if err := s.rt.Save(ctx, names, format, path, &libimage.SaveOptions{}); err != nil {
			return fmt.Errorf("saving %s: %w", strings.Join(names, ", "), err)
		}
		return nil
	}
	dir, err := os.MkdirTemp(filepath.Dir(path), ".skiff-save-")
	if err != nil {
		return fmt.Errorf("saving to %s: %w", path, err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, filepath.Base(path))
	if err := s.rt.Save(ctx, names, format, tmp, &libimage.SaveOptions{}); err != nil {
		return fmt.Errorf("saving %s: %w", strings.Join(names, ", "), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("saving to %s: %w", path, err)
	}
	return nil
}

// Load reads images from opts.Input (an archive or an OCI/docker
// directory), or from in when Input is empty, and returns their names (or
// IDs for unnamed ones). containers/image tries each format in turn, so a
// stream is spooled to a temporary file first.
func (s *Store) Load(ctx context.Context, opts engine.LoadOptions, in io.Reader, progress io.Writer) (*engine.LoadReport, error) {
	policyPath, err := s.policyPath("")
	if err != nil {
		return nil, err
	}
	path := opts.Input
	if path == "" {
		if in == nil {
			return nil, fmt.Errorf("no archive to load: %w", errdefs.ErrInvalidArg)
		}
		f, err := os.CreateTemp("", "skiff-load-*.tar")
		if err != nil {
			return nil, fmt.Errorf("spooling the archive: %w", err)
		}
		defer os.Remove(f.Name())
		_, err = io.Copy(f, in)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("receiving the archive: %w", err)
		}
		path = f.Name()
	}
	lo := &libimage.LoadOptions{}
	lo.SignaturePolicyPath = policyPath
	rp := attachProgress(&lo.CopyOptions, progress, nil)
	names, err := s.rt.Load(ctx, path, lo)
	rp.close()
	if err != nil {
		src := opts.Input
		if src == "" {
			src = "the archive"
		}
		return nil, fmt.Errorf("loading %s: %v: %w", src, err, errdefs.ErrInvalidArg)
	}
	return &engine.LoadReport{Names: names}, nil
}

// Untag removes names from an image, or all its names when none are given.
func (s *Store) Untag(ctx context.Context, name string, names []string) error {
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return lookupError(name, err)
	}
	if len(names) == 0 {
		names = img.Names()
	}
	for _, n := range names {
		if err := img.Untag(n); err != nil {
			if reason := referenceError(err); reason != nil {
				err = reason
			}
			return fmt.Errorf("untagging %s: %v: %w", n, err, errdefs.ErrInvalidArg)
		}
	}
	return nil
}

// History lists an image's layers, newest first, in Docker's shape.
func (s *Store) History(ctx context.Context, name string) ([]engine.ImageHistory, error) {
	if err := s.checkBroken(name); err != nil {
		return nil, err
	}
	img, _, err := s.rt.LookupImage(name, nil)
	if err != nil {
		return nil, lookupError(name, err)
	}
	hist, err := img.History(ctx)
	if err != nil {
		return nil, s.explain(img.ID(), fmt.Errorf("reading the history of %s: %w", name, err))
	}
	out := make([]engine.ImageHistory, 0, len(hist))
	for _, h := range hist {
		e := engine.ImageHistory{ID: h.ID, CreatedBy: h.CreatedBy, Size: h.Size, Comment: h.Comment, Tags: h.Tags}
		if e.ID != "<missing>" && e.ID != "" {
			e.ID = "sha256:" + e.ID
		}
		if h.Created != nil {
			e.Created = h.Created.Unix()
		}
		if e.Tags == nil {
			e.Tags = []string{}
		}
		out = append(out, e)
	}
	return out, nil
}

type progressKey struct{}

// WithProgress makes pulls done on behalf of ctx (run and create pulling a
// missing image) report their progress to w.
func WithProgress(ctx context.Context, w io.Writer) context.Context {
	return context.WithValue(ctx, progressKey{}, w)
}

// ProgressFrom is the writer WithProgress set, or nil (silence).
func ProgressFrom(ctx context.Context) io.Writer {
	w, _ := ctx.Value(progressKey{}).(io.Writer)
	return w
}
