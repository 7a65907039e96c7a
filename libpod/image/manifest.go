package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/containers/common/libimage"
	"github.com/containers/image/v5/copy"
	"github.com/containers/image/v5/types"
	"github.com/containers/storage"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/pkg/registryauth"
)

// ManifestCreate makes an empty manifest list named name and adds images.
func (s *Store) ManifestCreate(ctx context.Context, name string, opts engine.ManifestAddOptions) (string, error) {
	list, err := s.rt.CreateManifestList(name)
	if err != nil {
		return "", fmt.Errorf("creating manifest list %s: %w", name, err)
	}
	if len(opts.Images) > 0 {
		if _, err := s.addToList(ctx, list, opts); err != nil {
			return "", err
		}
	}
	return list.ID(), nil
}

// ManifestAdd adds images to an existing list.
func (s *Store) ManifestAdd(ctx context.Context, name string, opts engine.ManifestAddOptions) (string, error) {
	list, err := s.lookupList(name)
	if err != nil {
		return "", err
	}
	return s.addToList(ctx, list, opts)
}

func (s *Store) lookupList(name string) (*libimage.ManifestList, error) {
	list, err := s.rt.LookupManifestList(name)
	if err != nil {
		if errors.Is(err, storage.ErrImageUnknown) {
			return nil, fmt.Errorf("%s: manifest list not known: %w", name, errdefs.ErrNoSuchImage)
		}
		return nil, fmt.Errorf("looking up manifest list %s: %w", name, err)
	}
	return list, nil
}

func (s *Store) addToList(ctx context.Context, list *libimage.ManifestList, opts engine.ManifestAddOptions) (string, error) {
	ao := &libimage.ManifestListAddOptions{
		All:          opts.All,
		AuthFilePath: registryauth.ReadAuthFile(registryauth.ProcessEnv(), opts.AuthFile),
		CertDirPath:  opts.CertDir,
	}
	if opts.TLSVerify != nil {
		ao.InsecureSkipTLSVerify = types.NewOptionalBool(!*opts.TLSVerify)
	}
	if opts.Creds != "" {
		ao.Username, ao.Password, _ = strings.Cut(opts.Creds, ":")
	}
	var last string
	for _, img := range opts.Images {
		d, err := list.Add(ctx, img, ao)
		if err != nil {
			return "", registryError("adding "+img+" to the manifest list", err)
		}
		if opts.OS != "" || opts.Arch != "" || opts.Variant != "" {
			if err := list.AnnotateInstance(d, &libimage.ManifestListAnnotateOptions{
				OS: opts.OS, Architecture: opts.Arch, Variant: opts.Variant,
			}); err != nil {
				return "", fmt.Errorf("setting the platform of %s: %w", img, err)
			}
		}
		last = d.String()
	}
	return last, nil
}

// ManifestInspect returns the list in OCI index shape.
func (s *Store) ManifestInspect(ctx context.Context, name string) (json.RawMessage, error) {
	list, err := s.lookupList(name)
	if err != nil {
		return nil, err
	}
	data, err := list.Inspect()
	if err != nil {
		return nil, fmt.Errorf("inspecting manifest list %s: %w", name, err)
	}
	return json.Marshal(data)
}

// ManifestPush copies the list with all its images to opts.Destination.
func (s *Store) ManifestPush(ctx context.Context, name string, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	list, err := s.lookupList(name)
	if err != nil {
		return nil, err
	}
	dest := opts.Destination
	if dest == "" {
		dest = name
	}
	po := &libimage.ManifestListPushOptions{
		CopyOptions:        copyOptions(opts.RegistryOptions),
		ImageListSelection: copy.CopyAllImages,
	}
	rp := attachProgress(&po.CopyOptions, progress, opts.OnLayer)
	d, err := list.Push(ctx, dest, po)
	rp.close()
	if err != nil {
		return nil, registryError("pushing manifest list "+name+" to "+dest, err)
	}
	return &engine.PushReport{Digest: d.String()}, nil
}

// ManifestRemove removes lists by name. LookupManifest keeps libimage from
// resolving a list's name to its instance for this platform, which a
// plain removal would delete instead.
func (s *Store) ManifestRemove(ctx context.Context, names []string) ([]engine.ImageRemoveReport, error) {
	for _, n := range names {
		if _, err := s.lookupList(n); err != nil {
			return nil, err
		}
	}
	reports, errs := s.rt.RemoveImages(ctx, names, &libimage.RemoveImagesOptions{LookupManifest: true})
	out := make([]engine.ImageRemoveReport, 0, len(reports))
	for _, r := range reports {
		rep := engine.ImageRemoveReport{Untagged: r.Untagged}
		if r.Removed {
			rep.Deleted = "sha256:" + r.ID
		}
		out = append(out, rep)
	}
	if len(errs) > 0 {
		return out, removeError(errs[0])
	}
	return out, nil
}
