package libpod

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/containers/storage/pkg/mount"
	"github.com/moby/sys/mountinfo"
	"github.com/sirupsen/logrus"
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

// releaseVolumes unmounts the typed volumes of a stopped container that
// no running container uses any more, as Docker's local driver does when
// its last user goes: a tmpfs volume's content goes with it.
func (r *Runtime) releaseVolumes(ctx context.Context, c *Container) {
	for _, vm := range c.Config.Spec.Volumes {
		v, err := r.VolumeInspect(ctx, vm.Name)
		if err != nil || v.Options["type"] == "" || r.volumeRunning(ctx, v, c.ID) {
			continue
		}
		if err := r.unmountVolume(v.Name); err != nil {
			logrus.Warnf("unmounting volume %s: %v", v.Name, err)
		}
	}
}

// volumeRunning reports whether a running container other than except
// uses the volume.
func (r *Runtime) volumeRunning(ctx context.Context, v *Volume, except string) bool {
	for _, id := range v.Users {
		if id == except {
			continue
		}
		if other, err := r.byID(ctx, id); err == nil && other.State.Status.Up() {
			return true
		}
	}
	return false
}
