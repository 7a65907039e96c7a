package specgen

import (
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	units "github.com/docker/go-units"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// AnyMount is one parsed --mount: exactly one of its fields is set.
type AnyMount struct {
	Bind   *Mount
	Volume *VolumeMount
	Tmpfs  *TmpfsMount
}

// ParseAnyMount parses a `--mount` value of any type Docker has on Linux
// but image: bind (ParseMount), volume (the default: src=NAME, none for
// an anonymous volume; readonly, volume-nocopy, volume-opt=K=V,
// volume-driver=local) and tmpfs (tmpfs-size, tmpfs-mode, readonly).
func ParseAnyMount(spec string) (AnyMount, error) {
	invalid := func(format string, a ...any) (AnyMount, error) {
		return AnyMount{}, fmt.Errorf("invalid --mount %q: %s: %w", spec, fmt.Sprintf(format, a...), errdefs.ErrInvalidArg)
	}
	fields, err := csv.NewReader(strings.NewReader(spec)).Read()
	if err != nil {
		return invalid("%v", err)
	}
	typ := "volume"
	for _, f := range fields {
		if k, v, ok := strings.Cut(f, "="); ok && strings.EqualFold(k, "type") {
			typ = strings.ToLower(v)
		}
	}
	if typ == "bind" {
		m, err := ParseMount(spec)
		return AnyMount{Bind: &m}, err
	}
	if typ != "volume" && typ != "tmpfs" {
		return invalid("mount type %q is not supported: want bind, volume or tmpfs", typ)
	}
	var src, dst string
	var ro, nocopy bool
	var volOpts map[string]string
	var tmpfsOpts []string
	for _, field := range fields {
		key, val, hasValue := strings.Cut(field, "=")
		key = strings.ToLower(key)
		boolean := func() (bool, error) {
			if !hasValue {
				return true, nil
			}
			b, err := strconv.ParseBool(val)
			if err != nil {
				return false, fmt.Errorf("invalid value for %s: %s", key, val)
			}
			return b, nil
		}
		switch {
		case key == "readonly" || key == "ro":
			if ro, err = boolean(); err != nil {
				return invalid("%v", err)
			}
		case key == "volume-nocopy" && typ == "volume":
			if nocopy, err = boolean(); err != nil {
				return invalid("%v", err)
			}
		case !hasValue:
			return invalid("field %q must be a key=value pair", field)
		case key == "type" || key == "consistency":
		case key == "source" || key == "src":
			src = val
		case key == "target" || key == "dst" || key == "destination":
			dst = val
		case key == "volume-opt" && typ == "volume":
			k, v, ok := strings.Cut(val, "=")
			if !ok || k == "" {
				return invalid("volume-opt %q must be KEY=VALUE", val)
			}
			if volOpts == nil {
				volOpts = map[string]string{}
			}
			volOpts[k] = v
		case key == "volume-driver" && typ == "volume":
			if val != "local" {
				return invalid("volume driver %q is not supported: only local is", val)
			}
		case key == "tmpfs-size" && typ == "tmpfs":
			n, err := units.RAMInBytes(val)
			if err != nil || n < 0 {
				return invalid("invalid tmpfs-size %q", val)
			}
			tmpfsOpts = append(tmpfsOpts, fmt.Sprintf("size=%d", n))
		case key == "tmpfs-mode" && typ == "tmpfs":
			mode, err := strconv.ParseUint(val, 8, 32)
			if err != nil {
				return invalid("invalid tmpfs-mode %q: want an octal mode", val)
			}
			tmpfsOpts = append(tmpfsOpts, fmt.Sprintf("mode=%o", mode))
		default:
			return invalid("unexpected key %q for a %s mount", key, typ)
		}
	}
	if dst == "" || !filepath.IsAbs(dst) {
		return invalid("target is required and must be an absolute path")
	}
	dst = filepath.Clean(dst)
	if typ == "tmpfs" {
		if src != "" {
			return invalid("a tmpfs mount takes no source")
		}
		if ro {
			tmpfsOpts = append(tmpfsOpts, "ro")
		}
		return AnyMount{Tmpfs: &TmpfsMount{Destination: dst, Options: tmpfsOpts}}, nil
	}
	v := VolumeMount{Name: src, Destination: dst, ReadOnly: ro, Anonymous: src == "", VolumeOptions: volOpts}
	if src != "" {
		if err := ValidVolumeName(src); err != nil {
			return invalid("%v", err)
		}
	}
	if nocopy {
		v.Options = append(v.Options, "nocopy")
	}
	return AnyMount{Volume: &v}, nil
}
