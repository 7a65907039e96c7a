package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freshHostScript runs the README's daily path — import, run, login,
// push, pull, save over an existing file, load — as one identity, inside a
// private mount namespace that makes this host look like a fresh Debian 12:
// no /etc/containers, no /usr/share/containers, and /run/containers either
// absent or left root-only by a root podman (RUN_CONTAINERS_MODE). The
// rootless identities also get a logind-style /run/user/<uid> (mode 0700)
// on a private tmpfs, so that their pause process is made in this mount
// namespace and sees the same hidden files. Variables come from the test.
const freshHostScript = `
set -eu
for d in /etc/containers /usr/share/containers; do
	if [ -d "$d" ]; then mount -t tmpfs -o mode=0755 tmpfs "$d"; fi
done
mkdir -p /run/containers /run/user
mount -t tmpfs -o "mode=$RUN_CONTAINERS_MODE" tmpfs /run/containers
mount -t tmpfs -o mode=0755 tmpfs /run/user
if [ "$WHO_UID" != 0 ]; then
	mkdir -m 0700 "/run/user/$WHO_UID"
	chown "$WHO_UID:$WHO_GID" "/run/user/$WHO_UID"
fi
# A root podman leaves its runtime files here; nothing of the user's.
mkdir -p /run/containers/0 && chmod 0700 /run/containers/0

as_who() {
	if [ "$WHO_UID" = 0 ]; then
		env -i PATH="$PATH" HOME="$WHO_HOME" $WHO_ENV "$@"
	else
		setpriv --reuid "$WHO_UID" --regid "$WHO_GID" --init-groups \
			env -i PATH="$PATH" HOME="$WHO_HOME" $WHO_ENV "$@"
	fi
}
s() { echo "+ skiff $*"; as_who "$SKIFF" $STORE_ARGS "$@"; }

s info | grep -E 'runtimeDir|pausePid|signaturePolicy'
s import --change 'CMD ["sh"]' "$ROOTFS" localhost/fresh:1
s run --rm --network none localhost/fresh:1 echo fresh-run-ok
printf '%s\n' "$REG_PASSWORD" | s login --cert-dir "$CERTS" -u "$REG_USER" --password-stdin "$REG"
s tag localhost/fresh:1 "$REG/fresh/$WHO:1"
s push -q --cert-dir "$CERTS" "$REG/fresh/$WHO:1"
s rmi "$REG/fresh/$WHO:1" localhost/fresh:1
s pull -q --cert-dir "$CERTS" "$REG/fresh/$WHO:1"
s run --rm --network none "$REG/fresh/$WHO:1" echo pulled-run-ok
as_who sh -c 'printf "an older archive\n" >"$1"' sh "$OUT/saved.tar"
s save -o "$OUT/saved.tar" "$REG/fresh/$WHO:1"
s rmi "$REG/fresh/$WHO:1"
s load -q -i "$OUT/saved.tar"
s images --format '{{.Repository}}:{{.Tag}}'
s logout "$REG"
s rmi -a -f
if [ "$WHO_UID" != 0 ]; then
	pid=$(cat "$RUNTIME_BASE/skiff/pause.pid")
	echo "pause=$pid"
	kill -9 "$pid"
fi
echo fresh-host-done
`

// freshIdentity is one way a user meets skiff on a fresh host.
type freshIdentity struct {
	name string
	root bool
	// xdg: set XDG_RUNTIME_DIR to a private directory; otherwise it is
	// unset and a rootless skiff must find /run/user/<uid> itself.
	xdg bool
}

// TestFreshHost proves skiff needs nothing from containers-common and is
// not disturbed by what root's podman leaves in /run/containers: the
// daily path, as root and rootless (with and without XDG_RUNTIME_DIR),
// on this host with its containers files hidden.
func TestFreshHost(t *testing.T) {
	t.Parallel()
	if suite.podman {
		t.Skip("fresh-host test: skiff's own set-up only (podman needs containers-common)")
	}
	for _, tool := range []string{"unshare", "setpriv", "mount"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the fresh-host test needs %s: %v", tool, err)
		}
	}
	var rootless *Mode
	for _, m := range suite.modes {
		if m.Rootless && !m.Remote {
			rootless = m
		}
	}
	if rootless == nil {
		rootless = &Mode{Rootless: true}
		usr, err := ensureTestUser(suite.user)
		if err != nil {
			t.Fatal(err)
		}
		rootless.uid, _ = strconv.Atoi(usr.Uid)
		rootless.gid, _ = strconv.Atoi(usr.Gid)
	}
	reg := startRegistry(t, regAuth)
	passes := []struct{ name, runContainersMode string }{
		{"containers files hidden", "0755"},
		{"root-only /run/containers", "0700"},
	}
	ids := []freshIdentity{
		{name: "rootless-without-XDG_RUNTIME_DIR"},
		{name: "rootless-with-XDG_RUNTIME_DIR", xdg: true},
		{name: "root", root: true},
	}
	for pi, pass := range passes {
		t.Run(pass.name, func(t *testing.T) {
			for ii, id := range ids {
				t.Run(id.name, func(t *testing.T) {
					t.Parallel()
					runFreshHost(t, reg, rootless, id, pass.runContainersMode, fmt.Sprintf("p%d-i%d", pi, ii))
				})
			}
		})
	}
}

func runFreshHost(t *testing.T, reg *registry, rootless *Mode, id freshIdentity, runMode, tag string) {
	uid, gid := 0, 0
	if !id.root {
		uid, gid = rootless.uid, rootless.gid
	}
	dir := filepath.Join(suite.work, "fresh-"+strconv.FormatInt(suite.tmpSeq.Add(1), 10))
	home, out, store := filepath.Join(dir, "home"), filepath.Join(dir, "out"), filepath.Join(dir, "store")
	for _, d := range []string{dir, home, out, store} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(d, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	storeArgs := "--root " + filepath.Join(store, "root")
	base := fmt.Sprintf("/run/user/%d", uid)
	whoEnv := ""
	switch {
	case id.root:
		// Root's runroot would be /run/skiff/storage, which other stores use.
		storeArgs += " --runroot " + filepath.Join(store, "runroot")
	case id.xdg:
		base = filepath.Join(dir, "xdg")
		if err := os.Mkdir(base, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(base, uid, gid); err != nil {
			t.Fatal(err)
		}
		whoEnv = "XDG_RUNTIME_DIR=" + base
	}
	env := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"RUN_CONTAINERS_MODE=" + runMode,
		"WHO=" + strings.ToLower(tag), "WHO_UID=" + strconv.Itoa(uid), "WHO_GID=" + strconv.Itoa(gid),
		"WHO_HOME=" + home, "WHO_ENV=" + whoEnv, "RUNTIME_BASE=" + base,
		"SKIFF=" + suite.bin, "STORE_ARGS=" + storeArgs, "ROOTFS=" + suite.rootfs, "OUT=" + out,
		"REG=" + reg.Host, "CERTS=" + reg.CertDir, "REG_USER=" + regUser, "REG_PASSWORD=" + regPassword,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, "unshare", "--mount", "--propagation", "private", "bash", "-c", freshHostScript)
	c.Env = env
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var buf bytes.Buffer
	c.Stdout, c.Stderr = &buf, &buf
	err := c.Run()
	output := buf.String()
	t.Cleanup(func() { killFreshPause(output) })
	t.Logf("fresh host, %s, /run/containers %s:\n%s", id.name, runMode, output)
	if err != nil {
		t.Fatalf("the daily path failed on a fresh host: %v", err)
	}
	for _, want := range []string{"fresh-run-ok", "pulled-run-ok", "signaturePolicy: built-in default", reg.Host + "/fresh/", "fresh-host-done"} {
		if !strings.Contains(output, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if !id.root && !strings.Contains(output, "runtimeDir: "+base+"/skiff") {
		t.Errorf("a rootless skiff did not use the runtime dir %s/skiff", base)
	}
	if strings.Contains(output, "/run/containers/") {
		t.Errorf("skiff looked under /run/containers")
	}
}

// killFreshPause ends a pause process the script could not (it failed
// before its end): the namespace it holds lives in a mount namespace
// nothing else uses.
func killFreshPause(output string) {
	for _, line := range strings.Split(output, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "pausePid: "); ok {
			if pid, err := strconv.Atoi(v); err == nil && pid > 1 {
				if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) == "skiff-pause" {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
	}
}
