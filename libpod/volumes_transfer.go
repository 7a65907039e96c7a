package libpod

import (
	"context"
	"fmt"
	"io"

	"github.com/containers/storage/pkg/archive"
	"github.com/containers/storage/pkg/chrootarchive"
)

// VolumeExport writes a volume's content to out as a tar archive, as
// Podman's `volume export`. A typed volume is mounted first so that its
// filesystem, not the empty directory under it, is read.
func (r *Runtime) VolumeExport(ctx context.Context, name string, out io.Writer) error {
	v, err := r.readyVolume(ctx, name)
	if err != nil {
		return err
	}
	rc, err := archive.TarWithOptions(v.Mountpoint, &archive.TarOptions{Compression: archive.Uncompressed})
	if err != nil {
		return fmt.Errorf("exporting volume %s: %w", name, err)
	}
	defer rc.Close()
	if _, err := io.Copy(out, rc); err != nil {
		return fmt.Errorf("exporting volume %s: %w", name, err)
	}
	return nil
}

// VolumeImport unpacks a tar archive (plain or compressed) into a volume,
// over what it holds, in a chroot at the volume so that no entry can
// write outside it.
func (r *Runtime) VolumeImport(ctx context.Context, name string, in io.Reader) error {
	v, err := r.readyVolume(ctx, name)
	if err != nil {
		return err
	}
	if err := chrootarchive.Untar(in, v.Mountpoint, &archive.TarOptions{}); err != nil {
		return fmt.Errorf("importing into volume %s: %w", name, err)
	}
	return nil
}

// readyVolume finds a volume and makes its data directory usable.
func (r *Runtime) readyVolume(ctx context.Context, name string) (*Volume, error) {
	v, err := r.VolumeInspect(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := r.ensureVolumeDir(name); err != nil {
		return nil, err
	}
	return v, r.mountVolume(v)
}
