package image

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/containers/storage"
	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"
)

// A commit writes to the store in several steps (a layer, an image record,
// its config and manifest, its name), and containers/storage cannot make
// them one transaction. So before its first write a commit leaves a marker
// under the store, named after the layer it will make (and, once its
// config is known, the image), and holds a flock on it until it is done.
// A marker nobody holds a lock on belongs to a commit that died (the
// kernel drops the lock with its process, whatever its pid or user
// namespace, and even within one process, the service, a second open file
// cannot take it); recoverCommits undoes what such a commit wrote.
//
// The commit point is the image getting its name, one write of the image
// store; an unnamed commit's is the removal of its marker.

// pendingDir holds the markers of commits in progress, beside skiff's
// state under the store's root.
func pendingDir(store storage.Store) string {
	return filepath.Join(store.GraphRoot(), "skiff", "pending-commits")
}

// pendingCommit is the marker of one commit in progress.
type pendingCommit struct {
	dir   string
	layer string
	image string   // empty until the image ID is known
	lock  *os.File // holds the flock while the commit runs
}

// markerName is "<layer>" or "<layer>-<image>"; IDs are hex, so the dash
// cannot be part of one.
func markerName(layer, image string) string {
	if image == "" {
		return layer
	}
	return layer + "-" + image
}

func parseMarker(name string) (layer, image string, ok bool) {
	layer, image, _ = strings.Cut(name, "-")
	return layer, image, isHexID(layer) && (image == "" || isHexID(image))
}

func isHexID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (p *pendingCommit) path() string { return filepath.Join(p.dir, markerName(p.layer, p.image)) }

// spoolPath is where the commit copies the container's changes: beside
// the marker, so that recovery removes a dead commit's copy too.
func (p *pendingCommit) spoolPath() string { return filepath.Join(p.dir, p.layer+".tar") }

// beginCommit leaves the marker of a commit that will make layer, locked.
func beginCommit(dir, layer string) (*pendingCommit, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("recording the commit in progress: %w", err)
	}
	p := &pendingCommit{dir: dir, layer: layer}
	for range 10 {
		f, err := os.OpenFile(p.path(), os.O_RDONLY|os.O_CREATE|os.O_EXCL|unix.O_CLOEXEC, 0o600)
		if err != nil {
			return nil, fmt.Errorf("recording the commit in progress: %w", err)
		}
		if err := flock(f, unix.LOCK_EX); err != nil {
			f.Close()
			return nil, fmt.Errorf("locking the record of the commit in progress: %w", err)
		}
		// Between the create and the lock, a recovery may have taken
		// the unlocked marker for a dead commit's and removed it (having
		// nothing to undo): then the lock is on a file nobody sees.
		if sameFile(f, p.path()) {
			p.lock = f
			return p, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("recording the commit in progress: the marker %s keeps disappearing", p.path())
}

// setImage renames the marker to name the image the commit will create.
// The lock stays: it is on the file, not its name.
func (p *pendingCommit) setImage(id string) error {
	old := p.path()
	p.image = id
	if err := os.Rename(old, p.path()); err != nil {
		p.image = ""
		return fmt.Errorf("recording the commit in progress: %w", err)
	}
	return nil
}

// finish removes the marker and its spool file: the commit is complete,
// or its writes are undone.
func (p *pendingCommit) finish() {
	os.Remove(p.spoolPath())
	if err := os.Remove(p.path()); err != nil {
		logrus.Warnf("commit: removing the marker %s: %v", p.path(), err)
	}
	p.lock.Close()
}

// release gives up the marker without removing it, for a later recovery
// to finish undoing what the commit wrote.
func (p *pendingCommit) release() { p.lock.Close() }

func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}

// sameFile reports whether path still names the file f has open.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// recoverCommits undoes the writes of commits that died. It costs one
// ReadDir of a directory that is usually missing or empty.
func (s *Store) recoverCommits() {
	dir := pendingDir(s.store)
	ents, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			logrus.Warnf("reading the commits in progress: %v", err)
		}
		return
	}
	for _, e := range ents {
		layer, image, ok := parseMarker(e.Name())
		if !ok {
			continue // a spool file, or nothing of ours
		}
		if err := s.recoverCommit(dir, e.Name(), layer, image); err != nil {
			logrus.Warnf("undoing the commit that died while making layer %s: %v", layer, err)
		}
	}
}

// recoverCommit undoes one dead commit, unless its commit is alive.
func (s *Store) recoverCommit(dir, name, layer, image string) error {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // finished, or renamed by its live commit
		}
		return err
	}
	defer f.Close()
	if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil // its commit is running
		}
		return err
	}
	p := &pendingCommit{dir: dir, layer: layer, image: image, lock: f}
	if err := s.undo(p); err != nil {
		return err
	}
	logrus.Debugf("undid the commit that died while making layer %s", layer)
	p.finish()
	return nil
}

// undo removes what p's commit wrote: its image, unless the image got its
// name (then the commit completed and only the marker is left over), and
// its layer, unless something else came to use it.
func (s *Store) undo(p *pendingCommit) error {
	if p.image != "" {
		img, err := s.store.Image(p.image)
		switch {
		case errors.Is(err, storage.ErrImageUnknown):
		case err != nil:
			return fmt.Errorf("reading image %s: %w", p.image, err)
		case img.TopLayer != p.layer:
			// An image of that ID that this commit did not make (its
			// creation failed as a duplicate): not ours to remove.
		case len(img.Names) > 0:
			return nil
		default:
			_, err := s.store.DeleteImage(img.ID, true)
			switch {
			case errors.Is(err, storage.ErrImageUsedByContainer):
				// Someone made a container of it meanwhile (by its
				// ID, from images -a): theirs now.
				return nil
			case err != nil && !errors.Is(err, storage.ErrImageUnknown):
				return fmt.Errorf("removing image %s: %w", img.ID, err)
			}
		}
	}
	err := s.store.DeleteLayer(p.layer)
	switch {
	case err == nil, errors.Is(err, storage.ErrLayerUnknown), errors.Is(err, storage.ErrNotALayer),
		errors.Is(err, storage.ErrLayerUsedByImage), errors.Is(err, storage.ErrLayerUsedByContainer),
		errors.Is(err, storage.ErrLayerHasChildren):
		return nil
	}
	return fmt.Errorf("removing layer %s: %w", p.layer, err)
}
