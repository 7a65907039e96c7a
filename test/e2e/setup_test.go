package e2e

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// repoRoot is the repository root, two levels above this package.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root := filepath.Clean(filepath.Join(wd, "..", ".."))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", fmt.Errorf("no go.mod two levels above %s: %w", wd, err)
	}
	return root, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// setup prepares everything the cases share. On error the returned state (if
// any) still needs teardown.
func setup() (*suiteState, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("the e2e suite must run as root (it runs the rootless mode as $SKIFF_TEST_USER)")
	}
	repo, err := repoRoot()
	if err != nil {
		return nil, err
	}
	s := &suiteState{user: envOr("SKIFF_TEST_USER", "skifftest")}
	bin := envOr("SKIFF_BIN", filepath.Join(repo, "bin", "skiff"))
	if !strings.Contains(bin, "/") {
		if bin, err = exec.LookPath(bin); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("engine binary: %w (build it, or set SKIFF_BIN)", err)
	}
	s.podman = filepath.Base(bin) == "podman" || os.Getenv("SKIFF_E2E_PODMAN") == "1"

	sweepStale()
	s.work = fmt.Sprintf("/tmp/skiff-e2e-%d", os.Getpid())
	if err := os.MkdirAll(s.work, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(s.work, 0o755); err != nil {
		return s, err
	}
	if s.bin, err = installBinary(bin, s.work, s.podman); err != nil {
		return s, err
	}
	if s.config, err = writeConfigFiles(s.work, s.podman); err != nil {
		return s, err
	}
	s.clientHome = filepath.Join(s.work, "client-home")
	if err := makeHome(s.clientHome, 0, 0); err != nil {
		return s, err
	}
	if s.rootfs, err = buildFixture(repo, s.work); err != nil {
		return s, err
	}
	usr, err := ensureTestUser(s.user)
	if err != nil {
		return s, err
	}
	if err := s.makeModes(usr); err != nil {
		return s, err
	}
	suite = s // importFixture and startServices read suite
	if err := s.startServices(); err != nil {
		return s, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(s.modes))
	for i, m := range s.modes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = m.importFixture()
		}()
	}
	wg.Wait()
	return s, errors.Join(errs...)
}

// installBinary copies skiff (and any sibling skiff-* helpers) to a
// world-readable place; the test user may not be able to read the repo.
// Podman is installed system-wide and is used where it is.
func installBinary(bin, work string, podman bool) (string, error) {
	if podman {
		return bin, nil
	}
	dst := filepath.Join(work, "bin")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(filepath.Dir(bin))
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		if name != filepath.Base(bin) && !strings.HasPrefix(name, "skiff") {
			continue
		}
		if !e.Type().IsRegular() {
			continue
		}
		if err := copyFile(filepath.Join(filepath.Dir(bin), name), filepath.Join(dst, name), 0o755); err != nil {
			return "", err
		}
	}
	return filepath.Join(dst, filepath.Base(bin)), nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode)
}

// buildFixture produces the busybox rootfs tar: $SKIFF_TEST_ROOTFS if given,
// else hack/make-busybox-rootfs.sh, else the Go fallback.
func buildFixture(repo, work string) (string, error) {
	out := filepath.Join(work, "busybox-rootfs.tar")
	if given := os.Getenv("SKIFF_TEST_ROOTFS"); given != "" {
		return out, copyFile(given, out, 0o644)
	}
	script := filepath.Join(repo, "hack", "make-busybox-rootfs.sh")
	if _, err := os.Stat(script); err == nil {
		cmd := exec.Command("bash", script, out)
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %v\n%s", script, err, b)
		}
		return out, os.Chmod(out, 0o644)
	}
	return out, writeBusyboxRootfs(out)
}

// ensureTestUser creates the rootless test user and its subordinate ID
// ranges when missing.
func ensureTestUser(name string) (*user.User, error) {
	if u, err := user.Lookup(name); err == nil {
		return u, ensureSubIDs(name, u.Uid)
	}
	if b, err := exec.Command("useradd", "-m", "-s", "/bin/bash", name).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("useradd %s: %v: %s", name, err, b)
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	return u, ensureSubIDs(name, u.Uid)
}

func ensureSubIDs(name, uid string) error {
	for _, f := range []string{"/etc/subuid", "/etc/subgid"} {
		b, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		has := false
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, name+":") || strings.HasPrefix(l, uid+":") {
				has = true
			}
		}
		if has {
			continue
		}
		fh, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(fh, "%s:200000:65536\n", name)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// makeModes creates the root and rootless modes selected by SKIFF_E2E_MODES.
func (s *suiteState) makeModes(usr *user.User) error {
	defaultModes := "root,rootless,root-remote,rootless-remote"
	if s.podman {
		defaultModes = "root,rootless"
	}
	want := envOr("SKIFF_E2E_MODES", defaultModes)
	for _, name := range strings.Split(want, ",") {
		m := &Mode{Name: strings.TrimSpace(name)}
		base, remote := parseMode(m.Name)
		m.Remote = remote
		switch base {
		case "root":
		case "rootless":
			m.Rootless = true
			m.uid, _ = strconv.Atoi(usr.Uid)
			m.gid, _ = strconv.Atoi(usr.Gid)
			gids, _ := usr.GroupIds()
			for _, g := range gids {
				n, _ := strconv.Atoi(g)
				m.groups = append(m.groups, uint32(n))
			}
		default:
			return fmt.Errorf("SKIFF_E2E_MODES: unknown mode %q (want root, rootless, root-remote, rootless-remote)", m.Name)
		}
		m.dir = filepath.Join(s.work, m.Name)
		if err := os.MkdirAll(m.dir, 0o755); err != nil {
			return err
		}
		if err := os.Chown(m.dir, m.uid, m.gid); err != nil {
			return err
		}
		// Not the user's own home (for root, /root): whatever a user keeps
		// in ~/.config/containers or ~/.docker must not change a result,
		// and a run must not leave anything there.
		m.home = filepath.Join(m.dir, "home")
		if err := makeHome(m.home, m.uid, m.gid); err != nil {
			return err
		}
		if err := m.initStore(filepath.Join(m.dir, "store")); err != nil {
			return err
		}
		if m.Rootless && s.podman {
			// Podman rootless needs a runtime dir; skiff falls back to /tmp/skiff-$UID.
			m.xdg = filepath.Join(m.dir, "xdg")
			if err := os.MkdirAll(m.xdg, 0o700); err != nil {
				return err
			}
			if err := os.Chown(m.xdg, m.uid, m.gid); err != nil {
				return err
			}
		}
		s.modes = append(s.modes, m)
		s.stores = append(s.stores, m)
	}
	return nil
}
