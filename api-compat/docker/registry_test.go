package docker

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestDecodeRegistryAuth(t *testing.T) {
	js := `{"username":"u","password":"p:w","serveraddress":"127.0.0.1:5000"}`
	cases := []struct {
		name, header, creds string
		class               error
	}{
		{"empty", "", "", nil},
		{"empty object", base64.URLEncoding.EncodeToString([]byte("{}")), "", nil},
		{"url padded", base64.URLEncoding.EncodeToString([]byte(js)), "u:p:w", nil},
		{"url raw", base64.RawURLEncoding.EncodeToString([]byte(js)), "u:p:w", nil},
		{"std", base64.StdEncoding.EncodeToString([]byte(js)), "u:p:w", nil},
		{"auth field", base64.URLEncoding.EncodeToString([]byte(`{"auth":"` + base64.StdEncoding.EncodeToString([]byte("a:b")) + `"}`)), "a:b", nil},
		{"identity token", base64.URLEncoding.EncodeToString([]byte(`{"identitytoken":"tok"}`)), "", errdefs.ErrNotImplemented},
		{"not base64", "%%%", "", errdefs.ErrInvalidArg},
		{"not json", base64.URLEncoding.EncodeToString([]byte("nope")), "", errdefs.ErrInvalidArg},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := decodeRegistryAuth(c.header)
			creds := ""
			if err == nil {
				creds, err = authCreds(a)
			}
			if c.class != nil {
				if !errors.Is(err, c.class) {
					t.Fatalf("err = %v, want class %v", err, c.class)
				}
				return
			}
			if err != nil || creds != c.creds {
				t.Fatalf("creds %q, %v; want %q", creds, err, c.creds)
			}
		})
	}
}

func TestNormalizeRef(t *testing.T) {
	const dg = "sha256:6d9ac9237a84afe1516540f40a0fafdc86859b2141954b4d643af7066d598b74"
	cases := []struct {
		name, tag, want string
		allTags         bool
		bad             bool
	}{
		{"busybox", "latest", "docker.io/library/busybox:latest", false, false},
		{"busybox", "", "docker.io/library/busybox", true, false},
		{"busybox:1.36", "", "docker.io/library/busybox:1.36", false, false},
		{"user/app", "2", "docker.io/user/app:2", false, false},
		{"127.0.0.1:5000/x/y", "t", "127.0.0.1:5000/x/y:t", false, false},
		{"localhost/busybox", "latest", "localhost/busybox:latest", false, false},
		{"busybox", dg, "docker.io/library/busybox@" + dg, false, false},
		{"busybox@" + dg, "", "docker.io/library/busybox@" + dg, false, false},
		{"busybox:1", "2", "", false, true},
		{"Busybox", "", "", false, true},
		{"busybox", "sha256:short", "", false, true},
	}
	for _, c := range cases {
		named, all, err := normalizeRef(c.name, c.tag)
		if c.bad {
			if !errors.Is(err, errdefs.ErrInvalidArg) {
				t.Errorf("normalizeRef(%q, %q) = %v, %v; want an invalid-argument error", c.name, c.tag, named, err)
			}
			continue
		}
		if err != nil || named.String() != c.want || all != c.allTags {
			t.Errorf("normalizeRef(%q, %q) = %v, %v, %v; want %s, %v", c.name, c.tag, named, all, err, c.want, c.allTags)
		}
	}
}

func TestRegistryHost(t *testing.T) {
	for in, want := range map[string]string{
		"": "docker.io", "https://index.docker.io/v1/": "docker.io", "127.0.0.1:5000": "127.0.0.1:5000",
		"http://127.0.0.1:5000/": "127.0.0.1:5000", "quay.io": "quay.io",
	} {
		if got := registryHost(in); got != want {
			t.Errorf("registryHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasRegistry(t *testing.T) {
	for in, want := range map[string]bool{
		"busybox": false, "user/app": false, "quay.io/x": true, "127.0.0.1:5000/x": true, "localhost/x": true,
	} {
		if got := hasRegistry(in); got != want {
			t.Errorf("hasRegistry(%q) = %v", in, got)
		}
	}
}
