package compat

import (
	"strings"
	"testing"
)

func TestCLITagRmi(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		ref := "localhost/" + uniqueName(t, "tag") + ":1"
		md.must(t, "tag", image, ref)
		r := md.must(t, "images", "--format", "{{.Repository}}:{{.Tag}}")
		wantContains(t, "images", r.stdout, ref)
		r = md.must(t, "image", "inspect", "--format", "{{.Id}}", ref)
		id := r.out()
		if want := md.must(t, "image", "inspect", "--format", "{{.Id}}", image).out(); id != want {
			t.Errorf("tag points at %s, the source at %s", id, want)
		}
		r = md.must(t, "rmi", ref)
		wantContains(t, "rmi", r.stdout, "Untagged: "+ref)
		r = md.docker(t, nil, "image", "inspect", ref)
		wantCode(t, r, 1)
		wantContains(t, "stderr", r.stderr, "No such image: "+ref)
	})
}

func TestCLIPrune(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		name := uniqueName(t, "prune")
		keep := uniqueName(t, "prune")
		md.rmf(t, name, keep)
		id := md.must(t, "run", "--name", name, "--label", name+"=1", image, "true").out()
		_ = id
		md.must(t, "run", "-d", "--name", keep, image, "sleep", "1000")
		r := md.must(t, "container", "prune", "-f", "--filter", "label="+name)
		full := md.must(t, "ps", "-a", "--filter", "name="+name, "--format", "{{.Names}}").out()
		if full != "" {
			t.Errorf("prune left %q: %s", full, r)
		}
		if md.must(t, "ps", "--filter", "name="+keep, "--format", "{{.Names}}").out() != keep {
			t.Errorf("prune removed the running container")
		}
	})
}

func TestCLILogin(t *testing.T) {
	forModes(t, func(t *testing.T, md *mode) {
		r := md.docker(t, strings.NewReader("secret\n"), "login", "-u", "someone", "--password-stdin", "localhost:5999")
		if r.code == 0 || strings.Contains(r.stdout, "Login Succeeded") {
			t.Errorf("login claimed success: %s", r)
		}
		wantContains(t, "stderr", r.stderr, "not supported")
	})
}
