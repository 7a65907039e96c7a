//go:build linux && cgo

package rootless

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSkipReason(t *testing.T) {
	conns := filepath.Join(t.TempDir(), "connections.json")
	if err := os.WriteFile(conns, []byte(`{"default": "prod", "connections": {"prod": {"uri": "ssh://h/x"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args         string
		chost, dhost string
		cconn        string
		connsFile    string
		want         int
	}{
		{args: "", want: skipNone},
		{args: "ps", want: skipNone},
		{args: "run --rm alpine true", want: skipNone},
		{args: "version", want: skipCommand},
		{args: "help", want: skipCommand},
		{args: "help run", want: skipCommand},
		{args: "completion bash", want: skipCommand},
		{args: "__complete run ''", want: skipCommand},
		{args: "__completeNoDesc ps", want: skipCommand},
		{args: "--log-level=debug version", want: skipCommand},
		// A flag value taken for a word only ever makes us join.
		{args: "--log-level debug version", want: skipNone},
		{args: "ps version", want: skipNone},
		{args: "--help", want: skipHelpFlag},
		{args: "-h", want: skipHelpFlag},
		{args: "--version", want: skipHelpFlag},
		{args: "ps --help", want: skipHelpFlag},
		{args: "run --rm --help", want: skipHelpFlag},
		// -h after a word is run's --hostname.
		{args: "run -h myhost alpine true", want: skipNone},
		{args: "ps -h", want: skipNone},
		// Flags after the second word belong to the container's command.
		{args: "run alpine ls --help", want: skipNone},
		{args: "run alpine --help", want: skipNone},
		{args: "exec ctr grep -H x", want: skipNone},
		{args: "container ps --help", want: skipNone},
		{args: "--url unix:///run/skiff.sock ps", want: skipRemoteFlag},
		{args: "--url=tcp://h:1 ps", want: skipRemoteFlag},
		{args: "ps --url x", want: skipRemoteFlag},
		{args: "-H tcp://h:1 ps", want: skipRemoteFlag},
		{args: "-Htcp://h:1 ps", want: skipRemoteFlag},
		{args: "--host tcp://h:1 ps", want: skipRemoteFlag},
		{args: "--host=tcp://h:1 ps", want: skipRemoteFlag},
		{args: "--connection prod ps", want: skipRemoteFlag},
		{args: "--connection=prod ps", want: skipRemoteFlag},
		{args: "run --hostname h alpine", want: skipNone},
		{args: "run --urlx alpine", want: skipNone},
		{args: "-- --help", want: skipNone},
		{args: "ps", chost: "unix:///x", want: skipRemoteEnv},
		{args: "ps", dhost: "tcp://h:2375", want: skipRemoteEnv},
		{args: "ps", cconn: "prod", want: skipRemoteEnv},
		{args: "ps", connsFile: conns, want: skipRemoteConn},
		{args: "ps", connsFile: filepath.Join(t.TempDir(), "missing.json"), want: skipNone},
		// The CLI's own remote plumbing needs no engine.
		{args: "system connection ls", want: skipCommand},
		{args: "system dial-stdio", want: skipCommand},
		{args: "--log-level=debug system dial-stdio --url unix:///x", want: skipCommand},
		{args: "system info", want: skipNone},
		{args: "system", want: skipNone},
		// The service serves the local engine whatever the environment says.
		{args: "system service --time 0", chost: "unix:///x", dhost: "unix:///y", cconn: "prod", connsFile: conns, want: skipNone},
		{args: "system info", chost: "unix:///x", want: skipRemoteEnv},
		{args: "container service", chost: "unix:///x", want: skipRemoteEnv},
	}
	for _, tt := range tests {
		t.Run(tt.args+"|"+tt.chost+tt.dhost+tt.cconn+filepath.Base(tt.connsFile), func(t *testing.T) {
			args := append([]string{"skiff"}, strings.Fields(tt.args)...)
			env := remoteEnv{containerHost: tt.chost, dockerHost: tt.dhost, containerConnection: tt.cconn, connectionsFile: tt.connsFile}
			if got := skipReason(args, env); got != tt.want {
				t.Errorf("skipReason(%q) = %d, want %d", tt.args, got, tt.want)
			}
		})
	}
}

func TestHasDefaultConnection(t *testing.T) {
	tests := []struct {
		name, content string
		want          bool
	}{
		{"default set", `{"default": "prod", "connections": {}}`, true},
		{"compact", `{"default":"p"}`, true},
		{"indented by the CLI", "{\n  \"default\":\n    \"p\",\n  \"connections\": {}\n}\n", true},
		{"empty default", `{"default": "", "connections": {}}`, false},
		{"no default", `{"connections": {"prod": {"uri": "tcp://h:1"}}}`, false},
		{"connection named default", `{"connections": {"default": {"uri": "tcp://h:1"}}}`, false},
		{"uri value default", `{"connections": {"x": {"uri": "default"}}}`, false},
		{"empty file", ``, false},
		{"garbage", `"default`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "connections.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := hasDefaultConnection(path); got != tt.want {
				t.Errorf("hasDefaultConnection(%q) = %v, want %v", tt.content, got, tt.want)
			}
		})
	}
	if hasDefaultConnection(filepath.Join(t.TempDir(), "missing")) || hasDefaultConnection("") {
		t.Error("a missing file names no default")
	}
}

func TestFindSubID(t *testing.T) {
	const content = `# comment
alice:100000:65536
  bob:200000:1000
1005:300000:5000
carol:abc:100
carol:400000:0
carol:500000:10
dave:600000
eve:700000:10 trailing
frank:800000:10
frank:900000:10
`
	path := filepath.Join(t.TempDir(), "subuid")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		uid          int
		start, count uint64
		found        bool
	}{
		{"alice", 1000, 100000, 65536, true},
		{"bob", 1001, 200000, 1000, true},
		{"nobody-by-name", 1005, 300000, 5000, true}, // by uid
		{"carol", 1002, 500000, 10, true},            // bad lines skipped
		{"dave", 1003, 0, 0, false},                  // no count
		{"eve", 1004, 0, 0, false},                   // junk after count
		{"frank", 1006, 800000, 10, true},            // first line wins
		{"zed", 1007, 0, 0, false},
		{"ali", 1008, 0, 0, false}, // no prefix match
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, count, found, err := findSubID(path, tt.name, tt.uid)
			if err != nil {
				t.Fatal(err)
			}
			if found != tt.found || start != tt.start || count != tt.count {
				t.Errorf("got (%d, %d, %v), want (%d, %d, %v)", start, count, found, tt.start, tt.count, tt.found)
			}
		})
	}
	if _, _, found, err := findSubID(filepath.Join(t.TempDir(), "missing"), "alice", 1000); found || err != nil {
		t.Errorf("missing file: found=%v err=%v, want not found and no error", found, err)
	}
}

func TestRuntimeDirChecks(t *testing.T) {
	uid := os.Geteuid()

	xdg := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", xdg)
	got, err := runtimeDirFor(uid, true)
	if err != nil || got != filepath.Join(xdg, "skiff") {
		t.Fatalf("with XDG_RUNTIME_DIR: got %q, %v", got, err)
	}
	if st, err := os.Stat(got); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("runtime dir mode: %v, %v", st.Mode(), err)
	}

	// Without XDG_RUNTIME_DIR the /tmp fallback must be ours and 0700. A
	// made-up uid keeps us away from real users' dirs.
	t.Setenv("XDG_RUNTIME_DIR", "")
	fake := 3900000000 + os.Getpid()
	dir := "/tmp/skiff-" + strconv.Itoa(fake)
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.RemoveAll(dir)
	if got, err := runtimeDirFor(fake, true); err != nil || got != dir+"/skiff" {
		t.Fatalf("fresh /tmp dir: got %q, %v", got, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := runtimeDirFor(fake, true); err == nil || !strings.Contains(err.Error(), "mode 0755") {
		t.Errorf("0755 dir: err = %v, want a mode error", err)
	}
	os.RemoveAll(dir)
	if err := os.Symlink(t.TempDir(), dir); err != nil {
		t.Fatal(err)
	}
	if _, err := runtimeDirFor(fake, true); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("symlink: err = %v, want a refusal", err)
	}
	os.Remove(dir)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 12345, 12345); err == nil {
		if _, err := runtimeDirFor(fake, true); err == nil || !strings.Contains(err.Error(), "owned by uid 12345") {
			t.Errorf("foreign owner: err = %v, want a refusal", err)
		}
	}
}

// TestRuntimeBaseRule checks the order Podman uses: XDG_RUNTIME_DIR, else
// logind's /run/user/<uid> when it is the user's own 0700 directory, else
// the private /tmp directory.
func TestRuntimeBaseRule(t *testing.T) {
	fake := 3800000000 + os.Getpid()
	runUser := "/run/user/" + strconv.Itoa(fake)
	tmp := "/tmp/skiff-" + strconv.Itoa(fake)
	if err := os.MkdirAll("/run/user", 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(runUser); os.RemoveAll(tmp) })
	xdg := t.TempDir()
	tests := []struct {
		name    string
		xdg     string
		runMode os.FileMode // 0: no /run/user/<uid>
		want    string
	}{
		{"XDG_RUNTIME_DIR wins", xdg, 0o700, xdg},
		{"logind's dir without the variable", "", 0o700, runUser},
		{"a /run/user dir others can read is not used", "", 0o755, tmp},
		{"no /run/user dir", "", 0, tmp},
		{"a relative XDG_RUNTIME_DIR is ignored", "relative", 0o700, runUser},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(runUser)
			if tc.runMode != 0 {
				if err := os.Mkdir(runUser, tc.runMode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(runUser, tc.runMode); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("XDG_RUNTIME_DIR", tc.xdg)
			got, err := runtimeBaseFor(fake)
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestGraphRootDiscovery checks that the constructor finds the storage a
// command line uses the way pkg/config and the --root flag resolve it.
func TestGraphRootDiscovery(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "skiff.conf")
	if err := os.WriteFile(conf, []byte("[engine]\nroot = \"/not-this\"\n[storage]\n  root = \"/from-conf\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cwd, _ := os.Getwd()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"--root before the command", []string{"skiff", "--root", "/a", "ps"}, nil, "/a"},
		{"--root= after the command", []string{"skiff", "ps", "--root=/b"}, nil, "/b"},
		{"a container's own --root is not ours", []string{"skiff", "run", "img", "tool", "--root", "/c"}, map[string]string{"HOME": "/h"}, "/h/.local/share/skiff/storage"},
		{"group commands take flags one word later", []string{"skiff", "container", "ls", "--root", "/d"}, nil, "/d"},
		{"a relative --root is made absolute", []string{"skiff", "--root", "rel", "ps"}, nil, filepath.Join(cwd, "rel")},
		{"skiff.conf's [storage] root", []string{"skiff", "ps"}, map[string]string{"SKIFF_CONFIG": conf}, "/from-conf"},
		{"XDG_DATA_HOME", []string{"skiff", "ps"}, map[string]string{"XDG_DATA_HOME": "/data", "SKIFF_CONFIG": filepath.Join(dir, "none")}, "/data/skiff/storage"},
		{"HOME", []string{"skiff", "ps"}, map[string]string{"HOME": "/h", "SKIFF_CONFIG": filepath.Join(dir, "none")}, "/h/.local/share/skiff/storage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SKIFF_CONFIG", filepath.Join(dir, "none"))
			t.Setenv("XDG_DATA_HOME", "")
			t.Setenv("XDG_CONFIG_HOME", "")
			t.Setenv("HOME", "/home/x")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got, ok := graphRootFor(tc.args, 1000)
			if !ok || got != tc.want {
				t.Fatalf("got %q (ok %v), want %q", got, ok, tc.want)
			}
		})
	}
}
