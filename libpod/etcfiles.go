package libpod

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

type etcFiles struct{ hosts, resolv, hostname string }

// writeEtcFiles prepares /etc/hosts, /etc/hostname and /etc/resolv.conf for
// the container in its bundle; they are bind-mounted, so the image's own
// files stay untouched, as with Docker.
func (r *Runtime) writeEtcFiles(c *Container, bundle string) (etcFiles, error) {
	f := etcFiles{
		hosts:    filepath.Join(bundle, "hosts"),
		resolv:   filepath.Join(bundle, "resolv.conf"),
		hostname: filepath.Join(bundle, "hostname"),
	}
	host := c.Config.Hostname
	hosts := "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t" + host + "\n"
	if c.Config.Spec.NetworkMode == "host" {
		if data, err := os.ReadFile("/etc/hosts"); err == nil {
			hosts = string(data)
			if !strings.HasSuffix(hosts, "\n") {
				hosts += "\n"
			}
		}
	}
	resolv, err := os.ReadFile("/etc/resolv.conf")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return f, fmt.Errorf("reading /etc/resolv.conf: %w", err)
	}
	for path, data := range map[string]string{f.hosts: hosts, f.resolv: string(resolv), f.hostname: host + "\n"} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			return f, fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return f, nil
}
