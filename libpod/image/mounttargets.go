package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// etcMountTargets are the files the engine bind-mounts into every
// container. When the image lacks them, the OCI runtime creates empty files
// in the container's layer as mount points: they are the engine's doing,
// not the container's, so diff does not show them (as Podman) and commit
// does not keep them (as Docker, whose init layer holds them).
var etcMountTargets = map[string]bool{
	"/etc/hostname":    true,
	"/etc/hosts":       true,
	"/etc/resolv.conf": true,
}

// isMountTarget tells whether a tar entry is such an empty mount point.
func isMountTarget(hdr *tar.Header) bool {
	name := path.Clean("/" + strings.TrimPrefix(hdr.Name, "./"))
	return etcMountTargets[name] && hdr.Typeflag == tar.TypeReg && hdr.Size == 0
}

// copyWithoutMountTargets copies a layer diff, leaving out empty mount
// points. Every other entry, with its PAX records (xattrs, whiteouts are
// plain entries), is written as read.
func copyWithoutMountTargets(dst io.Writer, src io.Reader) error {
	tr := tar.NewReader(src)
	tw := tar.NewWriter(dst)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the layer diff: %w", err)
		}
		if isMountTarget(hdr) {
			continue
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("writing %s: %w", hdr.Name, err)
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return fmt.Errorf("copying %s: %w", hdr.Name, err)
		}
	}
	return tw.Close()
}
