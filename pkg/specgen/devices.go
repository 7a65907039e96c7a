package specgen

import (
	"errors"
	"path"
	"strings"

	"github.com/opencontainers/runc/libcontainer/devices"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Device is a host device made available in the container (--device).
type Device struct {
	PathOnHost      string `json:"path_on_host"`
	PathInContainer string `json:"path_in_container"`
	// Permissions are the cgroup permissions, a subset of "rwm".
	Permissions string `json:"permissions"`
}

// ParseDevice parses Docker's --device syntax:
// /dev/x[:/dev/y][:rwm].
func ParseDevice(v string) (Device, error) {
	parts := strings.Split(v, ":")
	d := Device{PathOnHost: parts[0], Permissions: "rwm"}
	switch len(parts) {
	case 1:
	case 2:
		if validDevicePerms(parts[1]) {
			d.Permissions = parts[1]
		} else {
			d.PathInContainer = parts[1]
		}
	case 3:
		d.PathInContainer, d.Permissions = parts[1], parts[2]
	default:
		return d, invalidf("invalid --device %s: want /dev/host[:/dev/container][:rwm]", quoteShort(v))
	}
	if d.PathInContainer == "" {
		d.PathInContainer = d.PathOnHost
	}
	if !validDevicePerms(d.Permissions) {
		return d, invalidf("invalid --device %s: permissions %s are not a subset of rwm", quoteShort(v), quoteShort(d.Permissions))
	}
	if !path.IsAbs(d.PathOnHost) || !path.IsAbs(d.PathInContainer) {
		return d, invalidf("invalid --device %s: paths must be absolute", quoteShort(v))
	}
	return d, nil
}

func validDevicePerms(p string) bool {
	if p == "" {
		return false
	}
	for _, c := range p {
		if !strings.ContainsRune("rwm", c) {
			return false
		}
	}
	return true
}

// addDevice adds one host device to the spec: a node runc creates as root
// (with a cgroup rule allowing it), a bind mount runc makes rootless.
func addDevice(spec *specs.Spec, hostPath, ctrPath, perms string) error {
	d, err := devices.DeviceFromPath(hostPath, perms)
	if err != nil {
		if errors.Is(err, devices.ErrNotADevice) {
			return invalidf("--device %s: not a device", hostPath)
		}
		return invalidf("--device %s: %v", hostPath, err)
	}
	mode := d.FileMode
	uid, gid := d.Uid, d.Gid
	spec.Linux.Devices = append(spec.Linux.Devices, specs.LinuxDevice{
		Path: ctrPath, Type: string(d.Type), Major: d.Major, Minor: d.Minor,
		FileMode: &mode, UID: &uid, GID: &gid,
	})
	if spec.Linux.Resources != nil {
		major, minor := d.Major, d.Minor
		spec.Linux.Resources.Devices = append(spec.Linux.Resources.Devices, specs.LinuxDeviceCgroup{
			Allow: true, Type: string(d.Type), Major: &major, Minor: &minor, Access: perms,
		})
	}
	return nil
}

// applyDevices adds the user's --device entries; rootless, a device the
// caller cannot open is refused (a bind mount of it would be useless).
func (s *SpecGenerator) applyDevices(spec *specs.Spec, rootless bool) error {
	for _, d := range s.Devices {
		if rootless && !userMayOpen(d.PathOnHost, d.Permissions) {
			return invalidf("--device %s: permission denied: this user may not open it", d.PathOnHost)
		}
		if err := addDevice(spec, d.PathOnHost, d.PathInContainer, d.Permissions); err != nil {
			return err
		}
	}
	return nil
}

// addHostDevices gives a privileged container the host's devices (runc's
// own list: /dev without pts, shm, mqueue and the console); rootless, only
// those the caller may open for reading or writing.
func addHostDevices(spec *specs.Spec, rootless bool) error {
	list, err := devices.HostDevices()
	if err != nil {
		return invalidf("listing host devices: %v", err)
	}
	have := map[string]bool{}
	for _, d := range spec.Linux.Devices {
		have[d.Path] = true
	}
	if spec.Linux.Resources != nil {
		// Every device is allowed, as Docker does for privileged.
		spec.Linux.Resources.Devices = []specs.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}
	}
	for _, d := range list {
		if have[d.Path] || rootless && !userMayOpen(d.Path, "r") && !userMayOpen(d.Path, "w") {
			continue
		}
		// A device that vanished or cannot be read is left out.
		_ = addDevice(spec, d.Path, d.Path, "rwm")
	}
	return nil
}

// userMayOpen checks the caller's access to a device for the permissions
// asked (m needs nothing).
func userMayOpen(p, perms string) bool {
	mode := uint32(0)
	if strings.Contains(perms, "r") {
		mode |= unix.R_OK
	}
	if strings.Contains(perms, "w") {
		mode |= unix.W_OK
	}
	if mode == 0 {
		mode = unix.F_OK
	}
	return unix.Access(p, mode) == nil
}
