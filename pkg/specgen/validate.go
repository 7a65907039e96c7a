package specgen

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// nameRegexp is Docker's rule for container names.
var nameRegexp = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// Network modes accepted so far. An empty mode means NetworkNone.
const (
	NetworkNone = "none"
	NetworkHost = "host"
)

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
		s.validateImage,
		s.validateNetwork,
		s.validatePull,
		s.validateStopSignal,
		s.validateWorkDir,
		s.validateHostname,
		s.validateEnv,
		s.validateLabels,
		s.validateMounts,
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
	if s.Name != "" && !nameRegexp.MatchString(s.Name) {
		return invalidf("invalid container name %q: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", s.Name)
	}
	return nil
}

func (s *SpecGenerator) validateImage() error {
	if strings.TrimSpace(s.Image) == "" {
		return invalidf("no image given")
	}
	return nil
}

func (s *SpecGenerator) validateNetwork() error {
	switch s.NetworkMode {
	case "", NetworkNone, NetworkHost:
		return nil
	}
	return invalidf("invalid network mode %q: only %q and %q are supported yet", s.NetworkMode, NetworkNone, NetworkHost)
}

func (s *SpecGenerator) validatePull() error {
	switch s.Pull {
	case "", PullMissing, PullNever, PullAlways, PullNewer:
		return nil
	}
	return invalidf("invalid pull policy %q: must be one of %s, %s, %s, %s", s.Pull, PullMissing, PullNever, PullAlways, PullNewer)
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
		return invalidf("invalid working directory %q: it must be an absolute path", s.WorkDir)
	}
	return nil
}

func (s *SpecGenerator) validateHostname() error {
	if len(s.Hostname) > maxHostnameLen {
		return invalidf("invalid hostname %q: longer than %d characters", s.Hostname, maxHostnameLen)
	}
	if strings.ContainsAny(s.Hostname, "/ \t\n\x00") {
		return invalidf("invalid hostname %q: contains whitespace, a slash or a NUL byte", s.Hostname)
	}
	return nil
}

func (s *SpecGenerator) validateEnv() error {
	for _, e := range s.Env {
		key, _, _ := strings.Cut(e, "=")
		if key == "" {
			return invalidf("invalid environment variable %q: empty name", e)
		}
		if strings.ContainsRune(e, 0) {
			return invalidf("invalid environment variable %q: contains a NUL byte", e)
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
			return invalidf("invalid mount source %q: it must be an absolute path", m.Source)
		}
		if _, err := os.Stat(m.Source); err != nil {
			return invalidf("invalid mount source %q: %v", m.Source, err)
		}
		if !filepath.IsAbs(m.Destination) {
			return invalidf("invalid mount destination %q: it must be an absolute path", m.Destination)
		}
		dst := filepath.Clean(m.Destination)
		if dst == "/" {
			return invalidf("invalid mount destination %q: cannot mount over /", m.Destination)
		}
		if seen[dst] {
			return invalidf("duplicate mount destination %q", dst)
		}
		seen[dst] = true
		if err := checkMountOptions(m.Options); err != nil {
			return invalidf("invalid options for mount %q: %v", dst, err)
		}
	}
	return nil
}

// ValidateName checks only the container name, for renames.
func (s *SpecGenerator) ValidateName() error {
	if s.Name == "" {
		return invalidf("a container name is required")
	}
	return s.validateName()
}
