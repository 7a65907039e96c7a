// Command probe reports what package rootless did for it; the integration
// test runs it as an unprivileged user.
//
//	probe info            print a JSON report
//	probe mount NAME      mount a tmpfs on <runtime dir>/NAME, write a marker, report
//	probe read NAME       report with the marker's content
//	probe child           run "probe info" as a child and report the child's view
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
	"github.com/skiffcontainers/skiff/rootless"
	"golang.org/x/sys/unix"
)

type report struct {
	IsRootless  bool
	UID, GID    int
	InNamespace bool
	Err         string
	NoSubIDs    bool
	Getuid      int
	UserNS      string
	MntNS       string
	UIDMap      string
	GIDMap      string
	RuntimeDir  string
	PausePID    int
	Cwd         string
	EnvUID      string
	Marker      string
	Child       *report `json:",omitempty"`
}

func main() {
	r := collect()
	if len(os.Args) > 2 {
		name := filepath.Join(r.RuntimeDir, os.Args[2])
		switch os.Args[1] {
		case "mount":
			must(os.MkdirAll(name, 0o700))
			must(unix.Mount("tmpfs", name, "tmpfs", 0, "size=1m"))
			must(os.WriteFile(filepath.Join(name, "marker"), []byte("from run 1"), 0o600))
		case "read":
			b, err := os.ReadFile(filepath.Join(name, "marker"))
			if err != nil {
				r.Marker = "error: " + err.Error()
			} else {
				r.Marker = string(b)
			}
		}
	}
	if len(os.Args) > 1 && os.Args[1] == "child" {
		out, err := exec.Command("/proc/self/exe", "info").Output()
		must(err)
		r.Child = new(report)
		must(json.Unmarshal(out, r.Child))
	}
	must(json.NewEncoder(os.Stdout).Encode(r))
}

func collect() report {
	r := report{
		IsRootless:  rootless.IsRootless(),
		UID:         rootless.UID(),
		GID:         rootless.GID(),
		InNamespace: rootless.InNamespace(),
		Getuid:      os.Getuid(),
		EnvUID:      os.Getenv(rootless.EnvUID),
	}
	if err := rootless.EnsureNamespace(); err != nil {
		r.Err = err.Error()
		r.NoSubIDs = errors.Is(err, errdefs.ErrNoSubIDs)
	}
	r.UserNS, _ = os.Readlink("/proc/self/ns/user")
	r.MntNS, _ = os.Readlink("/proc/self/ns/mnt")
	r.UIDMap = readFile("/proc/self/uid_map")
	r.GIDMap = readFile("/proc/self/gid_map")
	if dir, err := rootless.RuntimeDir(); err == nil {
		r.RuntimeDir = dir
	} else if r.Err == "" {
		r.Err = err.Error()
	}
	r.PausePID, _ = rootless.PausePID()
	r.Cwd, _ = os.Getwd()
	return r
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
}
