package registryauth

import (
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(rootless bool, vars map[string]string) Env {
	return Env{Rootless: rootless, UID: 1000, Getenv: func(k string) string { return vars[k] }}
}

// nsEnvOf is a rootless user's process inside skiff's user namespace.
func nsEnvOf(vars map[string]string) Env {
	env := envOf(true, vars)
	env.InNamespace = true
	return env
}

func TestDefaultAuthFile(t *testing.T) {
	tests := []struct {
		name     string
		rootless bool
		vars     map[string]string
		want     string
	}{
		{"root", false, nil, "/run/containers/1000/auth.json"},
		{"root with runtime dir", false, map[string]string{"XDG_RUNTIME_DIR": "/run/user/0"}, "/run/user/0/containers/auth.json"},
		{"rootless with runtime dir", true, map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000", "HOME": "/h"}, "/run/user/1000/containers/auth.json"},
		{"rootless without runtime dir", true, map[string]string{"HOME": "/h"}, "/h/.config/containers/auth.json"},
		{"rootless XDG_CONFIG_HOME", true, map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/c"}, "/c/containers/auth.json"},
		{"REGISTRY_AUTH_FILE wins", true, map[string]string{"REGISTRY_AUTH_FILE": "/x.json", "XDG_RUNTIME_DIR": "/r"}, "/x.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultAuthFile(envOf(tt.rootless, tt.vars)); got != tt.want {
				t.Errorf("DefaultAuthFile = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadAuthFile(t *testing.T) {
	home := t.TempDir()
	docker := filepath.Join(home, ".docker", "config.json")
	writeJSON(t, docker, `{"auths":{}}`)
	both := t.TempDir()
	bothOwn := filepath.Join(both, ".config", "containers", "auth.json")
	writeJSON(t, bothOwn, `{"auths":{}}`)
	writeJSON(t, filepath.Join(both, ".docker", "config.json"), `{"auths":{}}`)
	dockerDir := t.TempDir()
	dockerCfg := filepath.Join(dockerDir, "config.json")
	writeJSON(t, dockerCfg, `{"auths":{}}`)
	tests := []struct {
		name     string
		env      Env
		explicit string
		want     string
	}{
		{"explicit", nsEnvOf(map[string]string{"HOME": home}), "/a.json", "/a.json"},
		{"REGISTRY_AUTH_FILE", nsEnvOf(map[string]string{"HOME": home, "REGISTRY_AUTH_FILE": "/r.json"}), "", "/r.json"},
		{"root lets containers/image search", envOf(false, map[string]string{"HOME": home}), "", ""},
		// Outside the namespace (a remote client) /run/containers/UID is
		// the user's own: the whole list, DOCKER_CONFIG included, applies.
		{"rootless outside the namespace searches", envOf(true, map[string]string{"HOME": home}), "", ""},
		{"rootless with runtime dir searches", nsEnvOf(map[string]string{"HOME": home, "XDG_RUNTIME_DIR": "/r"}), "", ""},
		{"in the namespace falls back to docker's", nsEnvOf(map[string]string{"HOME": home}), "", docker},
		{"in the namespace honours DOCKER_CONFIG", nsEnvOf(map[string]string{"HOME": home, "DOCKER_CONFIG": dockerDir}), "", dockerCfg},
		{"in the namespace auth.json comes first", nsEnvOf(map[string]string{"HOME": both}), "", bothOwn},
		{"in the namespace with nothing", nsEnvOf(map[string]string{"HOME": "/nohome"}), "", "/nohome/.config/containers/auth.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadAuthFile(tt.env, tt.explicit); got != tt.want {
				t.Errorf("ReadAuthFile = %q, want %q", got, tt.want)
			}
		})
	}
}

func writeJSON(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCredentialsFor(t *testing.T) {
	dir := t.TempDir()
	auth := filepath.Join(dir, "auth.json")
	enc := base64.StdEncoding.EncodeToString([]byte("alice:pw:with:colons"))
	if err := os.WriteFile(auth, []byte(`{"auths":{"127.0.0.1:5000":{"auth":"`+enc+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// The suite's registries.conf (TestMain), for containers/image's
	// credential-helper lookup, rather than /etc/containers'.
	env := envOf(true, map[string]string{"HOME": dir, "CONTAINERS_REGISTRIES_CONF": os.Getenv("CONTAINERS_REGISTRIES_CONF")})
	tests := []struct{ image, want string }{
		{"127.0.0.1:5000/ns/img:tag", "alice:pw:with:colons"},
		{"docker://127.0.0.1:5000/img", "alice:pw:with:colons"},
		{"127.0.0.1:5001/img", ""},
		{"oci-archive:/x.tar", ""},
	}
	for _, tt := range tests {
		got, err := CredentialsFor(env, auth, tt.image)
		if err != nil {
			t.Errorf("CredentialsFor(%q): %v", tt.image, err)
		}
		if got != tt.want {
			t.Errorf("CredentialsFor(%q) = %q, want %q", tt.image, got, tt.want)
		}
	}
	got, err := CredentialsFor(env, filepath.Join(dir, "missing.json"), "127.0.0.1:5000/img")
	if err != nil || got != "" {
		t.Errorf("a missing auth file: got %q, %v; want no credentials and no error", got, err)
	}
}

func TestLogout(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "auth.json")
	env := envOf(true, map[string]string{"REGISTRY_AUTH_FILE": file, "HOME": dir})
	logout := func(registry string, all bool) string {
		t.Helper()
		var out strings.Builder
		if err := Logout(env, registry, LogoutOptions{All: all, Stdout: &out}); err != nil {
			t.Fatalf("logout %q (all %v): %v", registry, all, err)
		}
		return out.String()
	}

	// Nothing stored: Docker's message, success, and no file made.
	if got := logout("https://r.example:5000/v1/", false); got != "Removing login credentials for r.example:5000\n" {
		t.Errorf("logout with no auth file printed %q", got)
	}
	if got := logout("", true); got != "Removed login credentials for all registries\n" {
		t.Errorf("logout --all with no auth file printed %q", got)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("logout created %s: %v", file, err)
	}

	auth := base64.StdEncoding.EncodeToString([]byte("u:p"))
	write := func() {
		t.Helper()
		data := `{"auths":{"r.example":{"auth":"` + auth + `"},"s.example":{"auth":"` + auth + `"}}}`
		if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write()
	logout("r.example", false)
	logout("t.example", false) // not logged in there: still fine
	if b, _ := os.ReadFile(file); strings.Contains(string(b), "r.example") || !strings.Contains(string(b), "s.example") {
		t.Errorf("after logout r.example: %s", b)
	}
	logout("", true)
	if b, _ := os.ReadFile(file); strings.Contains(string(b), "s.example") {
		t.Errorf("after logout --all: %s", b)
	}
}

// TestLoginWithoutTerminal: a login that would have to ask for a password
// with no terminal to ask on is refused in Docker's words, before any
// registry is contacted.
func TestLoginWithoutTerminal(t *testing.T) {
	dir := t.TempDir()
	env := envOf(true, map[string]string{"REGISTRY_AUTH_FILE": filepath.Join(dir, "auth.json"), "HOME": dir})
	for _, opts := range []LoginOptions{{Username: "u"}, {}} {
		opts.Stdin, opts.Stdout = strings.NewReader(""), io.Discard
		err := Login(context.Background(), env, "r.invalid", opts)
		if err == nil || err.Error() != "Cannot perform an interactive login from a non TTY device" {
			t.Errorf("login %+v without a terminal: %v", opts, err)
		}
	}
}

// TestDockerWords: containers/common's success line is Docker's.
func TestDockerWords(t *testing.T) {
	var out strings.Builder
	w := dockerWords{&out}
	for _, s := range []string{"Password: ", "Login Succeeded!\n"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if out.String() != "Password: Login Succeeded\n" {
		t.Errorf("got %q", out.String())
	}
}
