package docker

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/common"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// lazyResponse sends its 200 and content type with the first byte, so
// that an engine failing before writing anything still gets a proper
// error status (save and export fail, if at all, before streaming).
type lazyResponse struct {
	w           http.ResponseWriter
	contentType string
	started     bool
}

func (l *lazyResponse) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.w.Header().Set("Content-Type", l.contentType)
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(p)
}

// finish answers err when nothing was sent yet; after the first byte the
// only way to tell the client is to cut the stream short.
func (l *lazyResponse) finish(err error) {
	switch {
	case err != nil && !l.started:
		server.WriteError(l.w, err)
	case err != nil:
		panic(http.ErrAbortHandler)
	case !l.started:
		l.w.Header().Set("Content-Type", l.contentType)
		l.w.WriteHeader(http.StatusOK)
	}
}

// saveImages writes a docker-archive of names: GET /images/{name}/get and
// GET /images/get?names=….
func (a *api) saveImages(w http.ResponseWriter, r *http.Request, names []string) {
	if len(names) == 0 {
		server.WriteError(w, invalid("no image names given"))
		return
	}
	out := &lazyResponse{w: w, contentType: "application/x-tar"}
	err := a.eng.Images().Save(r.Context(), engine.SaveOptions{Names: names, Format: "docker-archive"}, out)
	out.finish(translateError(err, opOther, subject{ref: strings.Join(names, ", ")}))
}

func (a *api) saveNamed(w http.ResponseWriter, r *http.Request) {
	a.saveImages(w, r, r.URL.Query()["names"])
}

var imageIDRe = regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)

// loadImages is POST /images/load: the body is the archive. Docker answers
// JSON messages, one "Loaded image" line per name (or ID when unnamed).
func (a *api) loadImages(w http.ResponseWriter, r *http.Request) {
	rep, err := a.eng.Images().Load(r.Context(), engine.LoadOptions{Quiet: boolParam(r, "quiet")}, r.Body, nil)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	msgs := newMessageStream(streamResponse(w, "application/json"))
	for _, n := range rep.Names {
		line := "Loaded image: " + n + "\n"
		if imageIDRe.MatchString(n) {
			if !strings.HasPrefix(n, "sha256:") {
				n = "sha256:" + n
			}
			line = "Loaded image ID: " + n + "\n"
		} else if named, err := reference.ParseNormalizedNamed(n); err == nil {
			line = "Loaded image: " + reference.FamiliarString(named) + "\n"
		}
		_ = msgs.send(jsonMessage{Stream: line})
	}
}

func (a *api) imageHistory(w http.ResponseWriter, r *http.Request, name string) {
	hist, err := a.eng.Images().History(r.Context(), name)
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: name}))
		return
	}
	out := make([]image.HistoryResponseItem, 0, len(hist))
	for _, h := range hist {
		out = append(out, image.HistoryResponseItem{
			ID: h.ID, Created: h.Created, CreatedBy: h.CreatedBy, Tags: h.Tags, Size: h.Size, Comment: h.Comment,
		})
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// pruneImages is POST /images/prune. Its dangling filter (false: every
// unused image) is the engine's to read.
func (a *api) pruneImages(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	opts := engine.ImagePruneOptions{Filters: filters}
	rep, err := a.eng.Images().Prune(r.Context(), opts)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, image.PruneReport{ImagesDeleted: deleteResponses(rep.Deleted), SpaceReclaimed: rep.SpaceReclaimed})
}

// searchImages is GET /images/search. A term without a registry searches
// Docker Hub, as Docker does, not registries.conf's search list.
func (a *api) searchImages(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("term")
	if term == "" {
		server.WriteError(w, invalid("the \"term\" parameter is required"))
		return
	}
	if !hasRegistry(term) {
		term = "docker.io/" + term
	}
	limit, _, err := intParam(r, "limit")
	if err != nil {
		server.WriteError(w, err)
		return
	}
	reg, err := registryOptions(r)
	if err != nil {
		server.WriteError(w, err)
		return
	}
	found, err := a.eng.Images().Search(r.Context(), engine.SearchOptions{RegistryOptions: reg, Term: term, Limit: limit})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	out := make([]registry.SearchResult, 0, len(found))
	for _, f := range found {
		out = append(out, registry.SearchResult{
			Name: f.Name, Description: f.Description, StarCount: f.Stars,
			IsOfficial: f.Official != "", IsAutomated: f.Automated != "",
		})
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// hasRegistry tells whether a search term's first component names a
// registry (Docker's rule: it holds a dot or a port, or is localhost).
func hasRegistry(term string) bool {
	first, _, found := strings.Cut(term, "/")
	return found && (strings.ContainsAny(first, ".:") || first == "localhost")
}

// commit is POST /commit. The body (a container config Docker would merge)
// is not read: changes carry the instructions skiff applies. pause defaults
// to true, as in Docker, and is best-effort as there: where the engine
// cannot freeze the container (rootless on cgroup v1) the commit goes on
// unpaused, since every `docker commit` asks for a pause.
func (a *api) commit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ctr := q.Get("container")
	if ctr == "" {
		server.WriteError(w, invalid("the \"container\" parameter is required"))
		return
	}
	opts := engine.CommitOptions{Message: q.Get("comment"), Author: q.Get("author"), Changes: q["changes"]}
	if repo := q.Get("repo"); repo != "" {
		named, _, err := normalizeRef(repo, q.Get("tag"))
		if err != nil {
			server.WriteError(w, err)
			return
		}
		opts.Reference = reference.TagNameOnly(named).String()
	}
	_, given := q["pause"]
	opts.Pause = !given || boolParam(r, "pause")
	rep, err := a.eng.Images().Commit(r.Context(), ctr, opts)
	if opts.Pause && errors.Is(err, errdefs.ErrNotImplemented) {
		logrus.Debugf("commit of %s without pausing it: %v", ctr, err)
		opts.Pause = false
		rep, err = a.eng.Images().Commit(r.Context(), ctr, opts)
	}
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: ctr}))
		return
	}
	id := rep.ID
	if !strings.HasPrefix(id, "sha256:") {
		id = "sha256:" + id
	}
	server.WriteJSON(w, http.StatusCreated, common.IDResponse{ID: id})
}

// exportContainer is GET /containers/{id}/export: the filesystem as a tar.
func (a *api) exportContainer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	out := &lazyResponse{w: w, contentType: "application/x-tar"}
	err := a.eng.Images().Export(r.Context(), id, out)
	out.finish(translateError(err, opOther, subject{ref: id}))
}

// containerChanges is GET /containers/{id}/changes (Kind 0 modified, 1
// added, 2 deleted).
func (a *api) containerChanges(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if ok, err := a.eng.Containers().Exists(r.Context(), id); err != nil || !ok {
		if err == nil {
			err = engine.ErrNoSuchContainer
		}
		server.WriteError(w, translateError(err, opOther, subject{ref: id}))
		return
	}
	changes, err := a.eng.Images().Diff(r.Context(), id)
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: id}))
		return
	}
	out := make([]container.FilesystemChange, 0, len(changes))
	for _, c := range changes {
		out = append(out, container.FilesystemChange{Kind: container.ChangeType(c.Kind), Path: c.Path})
	}
	server.WriteJSON(w, http.StatusOK, out)
}
