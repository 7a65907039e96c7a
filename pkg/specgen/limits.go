package specgen

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what one container may carry. Everything in a SpecGenerator is
// stored in the state database and read back by every ps and inspect, so
// each field is bounded, with the sizes the kernel or Docker's neighbours
// already impose where there is one.
const (
	// MaxLabelSize bounds one label, key and value together: containerd's
	// labels.Validate allows 4096 bytes.
	MaxLabelSize = 4096
	// MaxLabelsSize bounds all labels of a container, as Kubernetes bounds
	// all annotations of an object to 256 KiB.
	MaxLabelsSize = 256 << 10
	// MaxArgSize bounds one environment entry (KEY=VALUE) and one argument
	// of the entrypoint or command: the kernel's MAX_ARG_STRLEN, beyond
	// which execve fails with E2BIG.
	MaxArgSize = 128 << 10
	// MaxArgsSize bounds environment, entrypoint and command together,
	// below the kernel's ARG_MAX (a quarter of the stack limit, 2 MiB by
	// default) so that the image's own environment still fits.
	MaxArgsSize = 1 << 20
	// MaxStringSize bounds every other string (name, image, user, working
	// directory, mount paths and options, ...): PATH_MAX. The name is
	// checked with its syntax (validateName), since renames check it alone.
	MaxStringSize = 4096
	// MaxMountsSize bounds all mounts together, like labels.
	MaxMountsSize = 256 << 10
)

// quoteShort quotes s for an error message, cut to a readable length: a
// value that is too big must not make its error too big as well.
func quoteShort(s string) string {
	const max = 128
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// tooBig is the one-line error for a value over its limit.
func tooBig(what string, size, limit int, per string) error {
	return invalidf("%s: %d bytes exceeds the limit of %d bytes for %s", what, size, limit, per)
}

// validateSizes bounds the fields that have no tighter rule of their own
// (the name and the hostname have), before the other checks parse them.
func (s *SpecGenerator) validateSizes() error {
	strs := []struct{ what, v, per string }{
		{"image", s.Image, "an image reference"},
		{"working directory", s.WorkDir, "a path"}, {"user", s.User, "a user"},
		{"network mode", s.NetworkMode, "a network mode"},
		{"stop signal", s.StopSignal, "a signal"}, {"pull policy", s.Pull, "a pull policy"},
	}
	for _, f := range strs {
		if len(f.v) > MaxStringSize {
			return tooBig(f.what, len(f.v), MaxStringSize, f.per)
		}
	}
	if err := validateLabelSizes(s.Labels); err != nil {
		return err
	}
	if err := validateArgSizes(s.Env, argList{"entrypoint", s.Entrypoint}, argList{"command", s.Command}); err != nil {
		return err
	}
	return validateMountSizes(s.Mounts)
}

func validateLabelSizes(labels map[string]string) error {
	total := 0
	for k, v := range labels {
		n := len(k) + len(v)
		if n > MaxLabelSize {
			return tooBig("label "+quoteShort(k), n, MaxLabelSize, "a label")
		}
		total += n
	}
	if total > MaxLabelsSize {
		return tooBig("labels", total, MaxLabelsSize, "all labels of a container")
	}
	return nil
}

// ValidateProcess bounds the environment (KEY=VALUE entries) and the
// arguments of a process, a container's or an exec's, as the kernel's
// execve would, before they are stored.
func ValidateProcess(env, args []string) error {
	return validateArgSizes(env, argList{"command", args})
}

// argList is a list of arguments and what to call it in errors.
type argList struct {
	what string
	args []string
}

func validateArgSizes(env []string, lists ...argList) error {
	total := 0
	for _, e := range env {
		if len(e) > MaxArgSize {
			key, _, _ := strings.Cut(e, "=")
			return tooBig("environment variable "+quoteShort(key), len(e), MaxArgSize, "an environment variable")
		}
		total += len(e)
	}
	for _, l := range lists {
		for i, a := range l.args {
			if len(a) > MaxArgSize {
				return tooBig(fmt.Sprintf("%s argument %d %s", l.what, i+1, quoteShort(a)), len(a), MaxArgSize, "an argument")
			}
			total += len(a)
		}
	}
	if total > MaxArgsSize {
		return tooBig("environment and arguments", total, MaxArgsSize, "the environment and arguments together")
	}
	return nil
}

func validateMountSizes(mounts []Mount) error {
	total := 0
	for _, m := range mounts {
		for _, f := range append([]string{m.Source, m.Destination}, m.Options...) {
			if len(f) > MaxStringSize {
				return tooBig("mount "+quoteShort(f), len(f), MaxStringSize, "a mount path or option")
			}
			total += len(f)
		}
	}
	if total > MaxMountsSize {
		return tooBig("mounts", total, MaxMountsSize, "all mounts of a container")
	}
	return nil
}
