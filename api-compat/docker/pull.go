package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/distribution/reference"
	"github.com/docker/distribution/registry/api/errcode"
	v2 "github.com/docker/distribution/registry/api/v2"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/pkg/jsonmessage"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// registryOptions are the engine's registry settings from a request's
// X-Registry-Auth header. TLS trust is the service's own configuration
// (registries.conf, certs.d), as with Docker's daemon.
func registryOptions(r *http.Request) (engine.RegistryOptions, error) {
	a, err := decodeRegistryAuth(r.Header.Get("X-Registry-Auth"))
	if err != nil {
		return engine.RegistryOptions{}, err
	}
	creds, err := authCreds(a)
	return engine.RegistryOptions{Creds: creds}, err
}

// createImage is POST /images/create: a pull with fromImage, an import of
// the request body with fromSrc=-.
func (a *api) createImage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch src := q.Get("fromSrc"); {
	case src == "-":
		a.importImage(w, r)
		return
	case src != "":
		server.WriteError(w, invalid("importing from a URL (fromSrc=%s) is not supported by skiff; send the tarball in the request body with fromSrc=-", src))
		return
	}
	if q.Get("fromImage") == "" {
		server.WriteError(w, invalid("fromImage or fromSrc is required"))
		return
	}
	opts, named, err := pullOptions(r)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	// The image the name held before, to tell "up to date" from "newer".
	before := ""
	if !opts.AllTags {
		if got, err := a.eng.Images().Inspect(r.Context(), []string{opts.Reference}); err == nil && len(got) == 1 {
			before = got[0].ID
		}
	}
	// "Pulling from" goes out once the registry answered with layers: a
	// pull that fails before (no such manifest) is an HTTP error, as
	// Docker's is, and the CLI says "Error response from daemon".
	msgs := newLazyMessageStream(w, "application/json")
	var once sync.Once
	announce := func() {
		once.Do(func() {
			_ = msgs.send(jsonMessage{Status: "Pulling from " + reference.Path(named), ID: tagOrDigest(named)})
		})
	}
	tr := newProgressTranslator(kindPull, func(m jsonMessage) error { announce(); return msgs.send(m) })
	opts.OnLayer = tr.onLayer
	rep, err := a.eng.Images().Pull(r.Context(), opts, nil)
	_ = tr.finish(err == nil)
	if err != nil {
		err = pullError(named, err)
		if !msgs.started() {
			server.WriteError(w, err)
			return
		}
		msgs.fail(err)
		return
	}
	announce()
	a.pullSummary(r.Context(), msgs, named, before, rep)
}

// pullError words a registry's "no such manifest" or "no such repository"
// as Docker's daemon does; other errors stay as they are.
func pullError(named reference.Named, err error) error {
	var ec errcode.Error
	if !errors.As(err, &ec) {
		return err
	}
	switch ec.Code {
	case v2.ErrorCodeManifestUnknown:
		return errdefs.Reword(fmt.Sprintf("manifest for %s not found: %s", reference.FamiliarString(named), ec.Error()), err, errdefs.ErrNoSuchImage, errWorded)
	case v2.ErrorCodeNameUnknown:
		return errdefs.Reword(fmt.Sprintf("repository %s not found: %s", reference.FamiliarName(named), ec.Error()), err, errdefs.ErrNoSuchImage, errWorded)
	}
	return err
}

// pullOptions read a pull's query: Docker's pull always asks the registry
// (policy always; unchanged layers are not fetched again).
func pullOptions(r *http.Request) (engine.PullOptions, reference.Named, error) {
	q := r.URL.Query()
	named, allTags, err := normalizeRef(q.Get("fromImage"), q.Get("tag"))
	if err != nil {
		return engine.PullOptions{}, nil, err
	}
	reg, err := registryOptions(r)
	if err != nil {
		return engine.PullOptions{}, nil, err
	}
	opts := engine.PullOptions{RegistryOptions: reg, Reference: named.String(), AllTags: allTags, Policy: "always"}
	if p := q.Get("platform"); p != "" {
		parts := strings.Split(p, "/")
		if len(parts) < 2 || len(parts) > 3 {
			return opts, nil, invalid("invalid platform %q: want os/arch[/variant]", p)
		}
		opts.OS, opts.Arch = parts[0], parts[1]
		if len(parts) == 3 {
			opts.Variant = parts[2]
		}
	}
	return opts, named, nil
}

// pullSummary ends a successful pull as Docker does: the manifest digest,
// then whether anything changed.
func (a *api) pullSummary(ctx context.Context, msgs *messageStream, named reference.Named, before string, rep *engine.PullReport) {
	if len(rep.Images) == 1 {
		if got, err := a.eng.Images().Inspect(ctx, []string{rep.Images[0]}); err == nil && len(got) == 1 {
			if d := repoDigest(got[0].RepoDigests, named); d != "" {
				_ = msgs.status("Digest: " + d)
			}
		}
	}
	shown := reference.FamiliarString(named)
	if before != "" && len(rep.Images) == 1 && strings.TrimPrefix(rep.Images[0], "sha256:") == strings.TrimPrefix(before, "sha256:") {
		_ = msgs.status("Status: Image is up to date for " + shown)
		return
	}
	_ = msgs.status("Status: Downloaded newer image for " + shown)
}

// repoDigest is the digest of named's repository among an image's
// "name@sha256:…" entries.
func repoDigest(digests []string, named reference.Named) string {
	for _, rd := range digests {
		if n, err := reference.ParseNormalizedNamed(rd); err == nil && n.Name() == named.Name() {
			if c, ok := n.(reference.Canonical); ok {
				return c.Digest().String()
			}
		}
	}
	return ""
}

// importImage is POST /images/create?fromSrc=-: the body is a root
// filesystem tarball, spooled for the engine (which imports by path).
func (a *api) importImage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	opts := engine.ImportOptions{Message: q.Get("message"), Changes: q["changes"]}
	if repo := q.Get("repo"); repo != "" {
		named, _, err := normalizeRef(repo, q.Get("tag"))
		if err != nil {
			server.WriteError(w, err)
			return
		}
		opts.Reference = reference.TagNameOnly(named).String()
	}
	path, err := spool(r.Body, "skiff-import-*.tar")
	if err != nil {
		server.WriteError(w, err)
		return
	}
	defer os.Remove(path)
	opts.Source = path
	rep, err := a.eng.Images().Import(r.Context(), opts)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	id := rep.ID
	if !strings.HasPrefix(id, "sha256:") {
		id = "sha256:" + id
	}
	msgs := newMessageStream(streamResponse(w, "application/json"))
	_ = msgs.status(id)
}

// spool copies a request body to a private temporary file.
func spool(body io.Reader, pattern string) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", fmt.Errorf("spooling the upload: %w", err)
	}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("receiving the tarball: %w", err)
	}
	return f.Name(), nil
}

// pushImage is POST /images/{name}/push?tag=. Without a tag (and none in
// the name) Docker pushes every tag of the repository.
func (a *api) pushImage(w http.ResponseWriter, r *http.Request, name string) {
	named, allTags, err := normalizeRef(name, r.URL.Query().Get("tag"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	if _, ok := named.(reference.Digested); ok {
		server.WriteError(w, invalid("cannot push a digest reference: %s", named))
		return
	}
	reg, err := registryOptions(r)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	msgs := newMessageStream(streamResponse(w, "application/json"))
	_ = msgs.status("The push refers to repository [" + named.Name() + "]")
	// As Docker: a repository with no local tag at all is named as such,
	// a missing tag of a known repository as that.
	local, err := a.repoTags(r.Context(), named)
	if err == nil && len(local) == 0 {
		err = dockerWords("An image does not exist locally with the tag: "+reference.FamiliarName(named), errdefs.ErrNoSuchImage)
	}
	if err != nil {
		msgs.fail(err)
		return
	}
	refs := []reference.Named{named}
	if allTags {
		refs = local
	}
	for _, ref := range refs {
		if err := a.pushOne(r.Context(), msgs, reg, ref); err != nil {
			if errors.Is(err, errdefs.ErrNoSuchImage) {
				err = dockerWords("tag does not exist: "+reference.FamiliarString(reference.TagNameOnly(ref)), err)
			}
			msgs.fail(translateError(err, opOther, subject{ref: reference.FamiliarString(ref)}))
			return
		}
	}
}

// repoTags are the local tags of named's repository (none: an empty list).
func (a *api) repoTags(ctx context.Context, named reference.Named) ([]reference.Named, error) {
	list, err := a.eng.Images().List(ctx, engine.ImageListOptions{})
	if err != nil {
		return nil, err
	}
	var out []reference.Named
	for _, img := range list.Images {
		for _, t := range img.RepoTags {
			if n, err := reference.ParseNormalizedNamed(t); err == nil && n.Name() == named.Name() {
				if _, ok := n.(reference.Tagged); ok {
					out = append(out, n)
				}
			}
		}
	}
	return out, nil
}

// pushOne pushes one tag and ends its part of the stream as Docker does:
// "TAG: digest: …" then the aux message.
func (a *api) pushOne(ctx context.Context, msgs *messageStream, reg engine.RegistryOptions, ref reference.Named) error {
	ref = reference.TagNameOnly(ref)
	tr := newProgressTranslator(kindPush, msgs.send)
	opts := engine.PushOptions{RegistryOptions: reg, Source: ref.String(), OnLayer: tr.onLayer}
	rep, err := a.eng.Images().Push(ctx, opts, nil)
	_ = tr.finish(err == nil)
	if err != nil {
		return err
	}
	tag := tagOrDigest(ref)
	_ = msgs.status(fmt.Sprintf("%s: digest: %s size: %d", tag, rep.Digest, rep.Size))
	return msgs.send(jsonMessage{Progress: &jsonmessage.JSONProgress{}, Aux: auxMessage(types.PushResult{Tag: tag, Digest: rep.Digest, Size: rep.Size})})
}

// auth is POST /auth: the credentials are checked against the registry
// and not stored (the Docker CLI keeps them and sends them with each pull
// and push in X-Registry-Auth).
func (a *api) auth(w http.ResponseWriter, r *http.Request) {
	var ac registry.AuthConfig
	if err := server.DecodeJSON(r, &ac); err != nil {
		server.WriteError(w, err)
		return
	}
	creds, err := authCreds(ac)
	if err == nil && creds == "" {
		err = invalid("a username and a password are required")
	}
	if err != nil {
		server.WriteError(w, err)
		return
	}
	user, pass, _ := strings.Cut(creds, ":")
	opts := engine.LoginOptions{Registry: registryHost(ac.ServerAddress), Username: user, Password: pass}
	if err := a.eng.Images().Login(r.Context(), opts); err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, registry.AuthenticateOKBody{Status: "Login Succeeded"})
}
