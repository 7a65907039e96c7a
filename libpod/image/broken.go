package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/containers/common/libimage"
	"github.com/containers/image/v5/manifest"
	"github.com/containers/storage"
	ociv1 "github.com/opencontainers/image-spec/specs-go/v1"
)

// An image is broken when the store holds its record but not what makes
// it usable: its manifest, its config, or its top layer (a commit or pull
// killed before containers/storage had written them, or files lost).
// Nothing can be done with such an image but removing it, so listing
// reports it apart, removal and prune take it, and the commands that need
// its contents say plainly what is missing.

// diagnose says what makes image id unusable, or "" when its manifest,
// config and top layer are in place (or the image is gone).
func (s *Store) diagnose(id string) string {
	img, err := s.store.Image(id)
	if err != nil {
		return ""
	}
	raw, err := s.store.ImageBigData(id, storage.ImageDigestBigDataKey)
	if err != nil {
		return unreadable("manifest", err)
	}
	mt := manifest.GuessMIMEType(raw)
	if manifest.MIMETypeIsMultiImage(mt) {
		return "" // a manifest list: its instances are images of their own
	}
	m, err := manifest.FromBlob(raw, mt)
	if err != nil {
		return fmt.Sprintf("its manifest cannot be decoded: %v", err)
	}
	if d := m.ConfigInfo().Digest; d != "" {
		blob, err := s.store.ImageBigData(id, d.String())
		if err != nil {
			return unreadable("config", err)
		}
		if err := json.Unmarshal(blob, &ociv1.Image{}); err != nil {
			return fmt.Sprintf("its config cannot be decoded: %v", err)
		}
	}
	if img.TopLayer != "" {
		if _, err := s.store.Layer(img.TopLayer); err != nil {
			if errors.Is(err, storage.ErrLayerUnknown) {
				return fmt.Sprintf("its top layer %s is missing", img.TopLayer)
			}
			return fmt.Sprintf("reading its top layer %s: %v", img.TopLayer, err)
		}
	}
	return ""
}

func unreadable(what string, err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "its " + what + " is missing"
	}
	return fmt.Sprintf("reading its %s: %v", what, err)
}

// brokenError is the error of a command that needs a broken image's
// contents.
func brokenError(id, reason string) error {
	return fmt.Errorf("image %s is broken: %s; remove it (rmi %s) and pull, load or commit it again", shortID(id), reason, shortID(id))
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// explain replaces err, from reading image id, with what makes the image
// broken, if it is; other errors are returned as they are.
func (s *Store) explain(id string, err error) error {
	if reason := s.diagnose(id); reason != "" {
		return brokenError(id, reason)
	}
	return err
}

// checkBroken fails, saying why, when name plainly refers to a broken
// image (by ID, ID prefix or normalized name), before libimage's lookup
// logs its own warnings about it. A name it cannot resolve is left to the
// lookup.
func (s *Store) checkBroken(name string) error {
	img, err := s.store.Image(strings.TrimPrefix(name, "sha256:"))
	if err != nil {
		named, nerr := libimage.NormalizeName(name)
		if nerr != nil {
			return nil
		}
		if img, err = s.store.Image(named.String()); err != nil {
			return nil
		}
	}
	if reason := s.diagnose(img.ID); reason != "" {
		return brokenError(img.ID, reason)
	}
	return nil
}

// brokenImages lists the images of the store that are broken, by ID.
func (s *Store) brokenImages() (map[string]string, error) {
	imgs, err := s.store.Images()
	if err != nil {
		return nil, fmt.Errorf("listing images: %w", err)
	}
	out := map[string]string{}
	for _, img := range imgs {
		if reason := s.diagnose(img.ID); reason != "" {
			out[img.ID] = reason
		}
	}
	return out, nil
}
