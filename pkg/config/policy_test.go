package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolvePolicy(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	userFile := filepath.Join(home, ".config", "containers", "policy.json")
	system := filepath.Join(dir, "etc-policy.json")
	builtin := filepath.Join(dir, "run", "policy.json")
	write := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(BuiltinPolicy), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		user, sys  bool
		wantPath   string
		wantSource PolicySource
	}{
		{"fresh host", false, false, builtin, PolicyFromBuiltin},
		{"system file", false, true, system, PolicyFromSystem},
		{"user file wins", true, true, userFile, PolicyFromUser},
		{"user file alone", true, false, userFile, PolicyFromUser},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(home)
			os.Remove(system)
			if tc.user {
				write(userFile)
			}
			if tc.sys {
				write(system)
			}
			got := resolvePolicy(home, system, builtin)
			if got.Path != tc.wantPath || got.Source != tc.wantSource {
				t.Fatalf("got %+v, want %s from %s", got, tc.wantPath, tc.wantSource)
			}
		})
	}
}

func TestPolicyOverrideAndString(t *testing.T) {
	p := SignaturePolicy{Path: "/run/x/policy.json", Source: PolicyFromBuiltin}
	if p.String() != "built-in default" {
		t.Fatalf("String() = %q", p.String())
	}
	o := p.WithOverride("/tmp/mine.json")
	if o.Path != "/tmp/mine.json" || o.Source != PolicyFromFlag || o.String() != "/tmp/mine.json" {
		t.Fatalf("override: %+v", o)
	}
	if p.WithOverride("") != p {
		t.Fatal("an empty override changed the policy")
	}
}

func TestEnsureFileWritesOnlyTheBuiltin(t *testing.T) {
	dir := t.TempDir()
	b := SignaturePolicy{Path: filepath.Join(dir, "policy.json"), Source: PolicyFromBuiltin}
	if err := b.EnsureFile(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(b.Path); string(got) != BuiltinPolicy {
		t.Fatalf("built-in policy file holds %q", got)
	}
	if err := b.CheckSyntax(); err != nil {
		t.Fatalf("the built-in policy fails its own check: %v", err)
	}
	user := SignaturePolicy{Path: filepath.Join(dir, "user.json"), Source: PolicyFromUser}
	if err := user.EnsureFile(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(user.Path); !os.IsNotExist(err) {
		t.Fatalf("EnsureFile wrote a user's policy file (stat: %v)", err)
	}
}

func TestCheckSyntaxNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"missing comma", "{\n  \"default\": [{\"type\": \"insecureAcceptAnything\"}]\n  \"transports\": {}\n}\n", ":3:"},
		{"truncated", "{\n\"default\": [\n", "unexpected end"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := SignaturePolicy{Path: filepath.Join(dir, "p.json"), Source: PolicyFromUser}
			if err := os.WriteFile(p.Path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			err := p.CheckSyntax()
			if err == nil || !strings.Contains(err.Error(), p.Path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("CheckSyntax() = %v, want the path and %q", err, tc.want)
			}
		})
	}
	missing := SignaturePolicy{Path: filepath.Join(dir, "nope.json"), Source: PolicyFromFlag}
	if err := missing.CheckSyntax(); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\nef")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {7, 3, 2}, {99, 3, 3}} {
		if l, c := LineCol(data, tc.off); l != tc.line || c != tc.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}
