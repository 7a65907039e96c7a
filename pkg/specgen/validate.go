package specgen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// nameRegexp is Docker's rule for container names.
var nameRegexp = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// Pull policies.
const (
	PullMissing = "missing"
	PullNever   = "never"
	PullAlways  = "always"
	PullNewer   = "newer"
)

// maxHostnameLen is the kernel's limit (HOST_NAME_MAX).
const maxHostnameLen = 64

// Validate checks the spec for mistakes the user can fix and reports the
// first one found, wrapped with errdefs.ErrInvalidArg and naming the field
// and the offending value. It stats bind mount sources on this host.
func (s *SpecGenerator) Validate() error {
	checks := []func() error{
		s.validateName,
		s.validateSizes,
		s.validateImage,
		s.validateNetwork,
		s.validatePull,
		s.validateStopSignal,
		s.validateWorkDir,
		s.validateHostname,
		s.validateEnv,
		s.validateLabels,
		s.validateMounts,
		s.validateConfinement,
		s.validateVolumes,
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, errdefs.ErrInvalidArg)...)
}

func (s *SpecGenerator) validateName() error {
	if len(s.Name) > MaxStringSize {
		return tooBig("name", len(s.Name), MaxStringSize, "a name")
	}
	if s.Name != "" && !nameRegexp.MatchString(s.Name) {
		return invalidf("invalid container name %s: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", quoteShort(s.Name))
	}
	return nil
}

func (s *SpecGenerator) validateImage() error {
	if strings.TrimSpace(s.Image) == "" {
		return invalidf("no image given")
	}
	return nil
}

func (s *SpecGenerator) validatePull() error {
	switch s.Pull {
	case "", PullMissing, PullNever, PullAlways, PullNewer:
		return nil
	}
	return invalidf("invalid pull policy %s: must be one of %s, %s, %s, %s", quoteShort(s.Pull), PullMissing, PullNever, PullAlways, PullNewer)
}

func (s *SpecGenerator) validateStopSignal() error {
	if s.StopSignal == "" {
		return nil
	}
	if _, err := ParseSignal(s.StopSignal); err != nil {
		return fmt.Errorf("invalid stop signal: %w", err)
	}
	return nil
}

func (s *SpecGenerator) validateWorkDir() error {
	if s.WorkDir != "" && !filepath.IsAbs(s.WorkDir) {
		return invalidf("invalid working directory %s: it must be an absolute path", quoteShort(s.WorkDir))
	}
	return nil
}

func (s *SpecGenerator) validateHostname() error {
	if len(s.Hostname) > maxHostnameLen {
		return invalidf("invalid hostname %s: longer than %d characters", quoteShort(s.Hostname), maxHostnameLen)
	}
	if strings.ContainsAny(s.Hostname, "/ \t\n\x00") {
		return invalidf("invalid hostname %s: contains whitespace, a slash or a NUL byte", quoteShort(s.Hostname))
	}
	return nil
}

func (s *SpecGenerator) validateEnv() error {
	for _, e := range s.Env {
		key, _, _ := strings.Cut(e, "=")
		if key == "" {
			return invalidf("invalid environment variable %s: empty name", quoteShort(e))
		}
		if strings.ContainsRune(e, 0) {
			return invalidf("invalid environment variable %s: contains a NUL byte", quoteShort(e))
		}
	}
	return nil
}

func (s *SpecGenerator) validateLabels() error {
	for k := range s.Labels {
		if k == "" {
			return invalidf("invalid label: empty key")
		}
	}
	return nil
}

func (s *SpecGenerator) validateMounts() error {
	seen := make(map[string]bool, len(s.Mounts))
	for _, m := range s.Mounts {
		if !filepath.IsAbs(m.Source) {
			return invalidf("invalid mount source %s: it must be an absolute path", quoteShort(m.Source))
		}
		if _, err := os.Stat(m.Source); err != nil {
			return invalidf("invalid mount source %s: %v", quoteShort(m.Source), statReason(err))
		}
		if !filepath.IsAbs(m.Destination) {
			return invalidf("invalid mount destination %s: it must be an absolute path", quoteShort(m.Destination))
		}
		dst := filepath.Clean(m.Destination)
		if dst == "/" {
			return invalidf("invalid mount destination %s: cannot mount over /", quoteShort(m.Destination))
		}
		if seen[dst] {
			return invalidf("duplicate mount destination %s", quoteShort(dst))
		}
		seen[dst] = true
		if err := checkMountOptions(m.Options); err != nil {
			return invalidf("invalid options for mount %s: %v", quoteShort(dst), err)
		}
	}
	return nil
}

// statReason is why a stat failed, without the path the caller names.
func statReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ValidateName checks only the container name, for renames.
func (s *SpecGenerator) ValidateName() error {
	if s.Name == "" {
		return invalidf("a container name is required")
	}
	return s.validateName()
}
