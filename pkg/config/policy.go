package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SystemPolicyPath is where containers-common installs the system-wide
// signature policy; a fresh host has no such file.
const SystemPolicyPath = "/etc/containers/policy.json"

// BuiltinPolicy is the policy distributions ship as
// /etc/containers/policy.json (containers/image's default-policy.json):
// accept anything, and say so explicitly for the docker-daemon transport.
const BuiltinPolicy = `{
    "default": [{"type": "insecureAcceptAnything"}],
    "transports": {
        "docker-daemon": {"": [{"type": "insecureAcceptAnything"}]}
    }
}
`

// PolicySource says where the signature policy in force came from.
type PolicySource string

const (
	PolicyFromFlag    PolicySource = "--signature-policy"
	PolicyFromUser    PolicySource = "user"
	PolicyFromSystem  PolicySource = "system"
	PolicyFromBuiltin PolicySource = "built-in default"
)

// SignaturePolicy is the policy.json containers/image is told to read.
type SignaturePolicy struct {
	// Path is the file handed to containers/image; for the built-in
	// policy it is a copy skiff writes (EnsureFile) below its runtime dir.
	Path   string
	Source PolicySource
}

// String is what `skiff info` shows: the file, or that none was found.
func (p SignaturePolicy) String() string {
	if p.Source == PolicyFromBuiltin {
		return string(PolicyFromBuiltin)
	}
	return p.Path
}

// PolicyLocator finds the policy in force each time it is asked: a
// long-running service must notice a policy.json that appears or goes.
type PolicyLocator struct {
	// Home is where the user's ~/.config/containers/policy.json is.
	Home string
	// BuiltinPath is where the built-in policy is written when in force.
	BuiltinPath string
	// SystemPath replaces SystemPolicyPath (tests keep off the host's).
	SystemPath string
}

// Resolve is the policy in force now.
func (l PolicyLocator) Resolve() SignaturePolicy {
	system := l.SystemPath
	if system == "" {
		system = SystemPolicyPath
	}
	return resolvePolicy(l.Home, system, l.BuiltinPath)
}

// resolvePolicy picks the policy the way containers/image does (the
// user's file, then the system's) and, where it would fail for want of
// both, the built-in default instead.
func resolvePolicy(home, systemPath, builtinPath string) SignaturePolicy {
	if home != "" {
		user := filepath.Join(home, ".config", "containers", "policy.json")
		if _, err := os.Stat(user); err == nil {
			return SignaturePolicy{Path: user, Source: PolicyFromUser}
		}
	}
	if _, err := os.Stat(systemPath); err == nil {
		return SignaturePolicy{Path: systemPath, Source: PolicyFromSystem}
	}
	return SignaturePolicy{Path: builtinPath, Source: PolicyFromBuiltin}
}

// WithOverride is p, or the policy named by a --signature-policy flag.
func (p SignaturePolicy) WithOverride(path string) SignaturePolicy {
	if path == "" {
		return p
	}
	return SignaturePolicy{Path: path, Source: PolicyFromFlag}
}

// EnsureFile writes the built-in policy to p.Path when that is the policy
// in force and the file is missing or differs. Other sources are the
// user's files and are never written.
func (p SignaturePolicy) EnsureFile() error {
	if p.Source != PolicyFromBuiltin {
		return nil
	}
	if have, err := os.ReadFile(p.Path); err == nil && bytes.Equal(have, []byte(BuiltinPolicy)) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(p.Path), ".policy-*.json")
	if err != nil {
		return fmt.Errorf("writing the built-in signature policy: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(BuiltinPolicy); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the built-in signature policy: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the built-in signature policy: %w", err)
	}
	if err := os.Rename(tmp.Name(), p.Path); err != nil {
		return fmt.Errorf("writing the built-in signature policy: %w", err)
	}
	return nil
}

// CheckSyntax reports a policy file that is not valid JSON with its path,
// line and column; containers/image's own message gives neither line nor
// column. A missing file is reported as such. Semantic errors are left to
// containers/image, whose message names the file.
func (p SignaturePolicy) CheckSyntax() error {
	data, err := os.ReadFile(p.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("signature policy %s (%s) does not exist", p.Path, p.Source)
	}
	if err != nil {
		return fmt.Errorf("reading the signature policy (%s): %w", p.Source, err)
	}
	var v any
	err = json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := LineCol(data, se.Offset)
		return fmt.Errorf("%s:%d:%d: invalid signature policy: %v", p.Path, line, col, se)
	}
	if err != nil {
		return fmt.Errorf("%s: invalid signature policy: %w", p.Path, err)
	}
	return nil
}

// LineCol turns a byte offset into a 1-based line and column.
func LineCol(data []byte, offset int64) (int, int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}
