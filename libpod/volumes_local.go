package libpod

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/containers/storage/pkg/mount"
	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// localOptionKeys are the local driver's options, as Docker's: type and
// device are mount(8)'s filesystem type and source, o its options.
var localOptionKeys = map[string]bool{"type": true, "device": true, "o": true}

// checkLocalOptions refuses options the local driver does not know and a
// bind without an absolute device.
func checkLocalOptions(opts map[string]string) error {
	for k := range opts {
		if !localOptionKeys[k] {
			return fmt.Errorf("invalid option %q for driver local: want type, device or o: %w", k, errdefs.ErrInvalidArg)
		}
	}
	typ, device := opts["type"], opts["device"]
	switch {
	case typ == "" && (device != "" || opts["o"] != ""):
		return fmt.Errorf("option device or o needs option type (tmpfs, none with o=bind, or a filesystem type): %w", errdefs.ErrInvalidArg)
	case isBindVolume(opts) && !filepath.IsAbs(device):
		return fmt.Errorf("a bind volume (type=none, o=bind) needs an absolute device path, got %q: %w", device, errdefs.ErrInvalidArg)
	case typ != "" && typ != "tmpfs" && !isBindVolume(opts) && device == "":
		return fmt.Errorf("volume type %q needs option device: %w", typ, errdefs.ErrInvalidArg)
	}
	return nil
}

func isBindVolume(opts map[string]string) bool {
	if opts["type"] != "none" && opts["type"] != "bind" {
		return false
	}
	for _, o := range strings.Split(opts["o"], ",") {
		if o == "bind" || o == "rbind" {
			return true
		}
	}
	return opts["type"] == "bind"
}

// mountVolume mounts a volume made with a type at its data directory,
// unless it is mounted already (another container uses it). Rootless, the
// mount is made in skiff's user and mount namespace, where tmpfs and binds
// of the user's own directories are allowed.
func (r *Runtime) mountVolume(v *Volume) error {
	typ := v.Options["type"]
	if typ == "" {
		return nil
	}
	data := r.volumeData(v.Name)
	if mounted, err := mountinfo.Mounted(data); err != nil || mounted {
		return err
	}
	device, opts := v.Options["device"], v.Options["o"]
	switch {
	case typ == "tmpfs" && device == "":
		device = "tmpfs"
	case isBindVolume(v.Options):
		typ = "none"
		if !strings.Contains(opts, "bind") {
			opts = strings.TrimPrefix(opts+",bind", ",")
		}
	}
	if err := mount.Mount(device, data, typ, opts); err != nil {
		return fmt.Errorf("mounting volume %s (type %s, device %s): %w", v.Name, typ, device, err)
	}
	return nil
}

// unmountVolume undoes mountVolume; a directory not mounted is left be.
func (r *Runtime) unmountVolume(name string) error {
	data := r.volumeData(name)
	mounted, err := mountinfo.Mounted(data)
	if err != nil || !mounted {
		return nil
	}
	if err := unix.Unmount(data, unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmounting %s: %w", data, err)
	}
	return nil
}
