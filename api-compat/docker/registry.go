package docker

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/registry"
	"github.com/opencontainers/go-digest"
)

// authCreds turns Docker's registry credentials object (sent base64url
// encoded in X-Registry-Auth and as the body of /auth) into the engine's
// "user:password" form; "" when there is no user. The "auth" field
// (base64 of user:password) stands in for missing ones.
func authCreds(a registry.AuthConfig) (string, error) {
	user, pass := a.Username, a.Password
	if user == "" && a.Auth != "" {
		raw, err := base64.StdEncoding.DecodeString(a.Auth)
		if err != nil {
			return "", invalid("malformed \"auth\" field in the registry credentials: %v", err)
		}
		user, pass, _ = strings.Cut(string(raw), ":")
	}
	if user == "" {
		if a.IdentityToken != "" || a.RegistryToken != "" {
			return "", notImplemented("registry identity and bearer tokens are not supported by skiff; log in with a username and password")
		}
		return "", nil
	}
	return user + ":" + pass, nil
}

// decodeRegistryAuth reads an X-Registry-Auth header. Docker clients send
// base64url (padded); some send it unpadded or in standard base64, which
// Docker accepts too. An empty header or "{}" means no credentials.
func decodeRegistryAuth(header string) (registry.AuthConfig, error) {
	var a registry.AuthConfig
	header = strings.TrimSpace(header)
	if header == "" {
		return a, nil
	}
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if raw, err = enc.DecodeString(header); err == nil {
			break
		}
	}
	if err != nil {
		return a, invalid("malformed X-Registry-Auth header: not base64: %v", err)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, invalid("malformed X-Registry-Auth header: %v", err)
	}
	return a, nil
}

// normalizeRef applies Docker's short-name rule for Docker API clients:
// "busybox" is "docker.io/library/busybox", never a registries.conf
// search. tag may hold a tag or a digest (Docker's pull query does both).
// allTags is true when neither a tag nor a digest was given anywhere,
// which Docker's pull takes as "every tag".
func normalizeRef(name, tag string) (named reference.Named, allTags bool, err error) {
	named, err = reference.ParseNormalizedNamed(name)
	if err != nil {
		return nil, false, invalid("invalid reference format: %s", name)
	}
	if tag != "" {
		if _, ok := named.(reference.Tagged); ok {
			return nil, false, invalid("invalid reference format: %s has a tag and the tag parameter is %s", name, tag)
		}
		if strings.Contains(tag, ":") {
			var d reference.Canonical
			if d, err = reference.WithDigest(reference.TrimNamed(named), digest.Digest(tag)); err != nil {
				return nil, false, invalid("invalid digest %q: %v", tag, err)
			}
			return d, false, nil
		}
		if named, err = reference.WithTag(named, tag); err != nil {
			return nil, false, invalid("invalid tag %q: %v", tag, err)
		}
		return named, false, nil
	}
	_, tagged := named.(reference.Tagged)
	_, digested := named.(reference.Digested)
	return named, !tagged && !digested, nil
}

// tagOrDigest is what Docker shows as the id of "Pulling from": the tag,
// or the digest of a pull by digest.
func tagOrDigest(named reference.Named) string {
	if t, ok := named.(reference.Tagged); ok {
		return t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		return d.Digest().String()
	}
	return ""
}

// registryHost turns /auth's serveraddress (a host, or a URL such as
// Docker Hub's "https://index.docker.io/v1/") into host[:port].
func registryHost(addr string) string {
	addr = strings.TrimSpace(addr)
	addr = strings.TrimPrefix(strings.TrimPrefix(addr, "https://"), "http://")
	addr, _, _ = strings.Cut(addr, "/")
	switch addr {
	case "", "index.docker.io", "registry-1.docker.io":
		return "docker.io"
	}
	return addr
}
