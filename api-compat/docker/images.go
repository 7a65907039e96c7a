package docker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/stringid"
	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// familiarRef is a reference as Docker's messages show it: tagged
// ":latest" when no tag or digest was given, docker.io/library/ elided.
func familiarRef(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ref
	}
	return reference.FamiliarString(reference.TagNameOnly(named))
}

// familiarName is a full name as Docker's messages show it
// (docker.io/library/ elided), without adding a tag.
func familiarName(name string) string {
	named, err := reference.ParseNormalizedNamed(name)
	if err != nil {
		return name
	}
	return reference.FamiliarString(named)
}

// pageNotFound is Docker's answer to an unknown route.
func pageNotFound(w http.ResponseWriter) {
	server.WriteError(w, dockerWords("page not found", errdefs.ErrNoSuchObject))
}

func (a *api) listImages(w http.ResponseWriter, r *http.Request) {
	filters, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		server.WriteError(w, err)
		return
	}
	rep, err := a.eng.Images().List(r.Context(), engine.ImageListOptions{All: boolParam(r, "all"), Filters: filters})
	if err != nil {
		server.WriteError(w, err)
		return
	}
	// Docker's list has no place for images it cannot read: the
	// service's log names them.
	for _, b := range rep.Broken {
		logrus.Warnf("image %s is broken and left out of the list: %s", b.ID, b.Reason)
	}
	list := make([]image.Summary, 0, len(rep.Images))
	for _, img := range rep.Images {
		list = append(list, image.Summary{
			ID: img.ID, ParentID: img.ParentID, RepoTags: img.RepoTags, RepoDigests: img.RepoDigests,
			Created: img.Created, Size: img.Size, SharedSize: img.SharedSize, Labels: img.Labels,
			Containers: int64(img.Containers),
			// Size since Docker 1.10's content store; clients of every
			// age still read it.
			VirtualSize: img.VirtualSize, //nolint:staticcheck // deprecated, still in Docker 28's type
		})
	}
	server.WriteJSON(w, http.StatusOK, list)
}

// imageGet dispatches GET /images/{name}/json, /history and /get (names
// contain slashes).
func (a *api) imageGet(w http.ResponseWriter, r *http.Request) {
	rest := r.PathValue("rest")
	if name, ok := strings.CutSuffix(rest, "/history"); ok && name != "" {
		a.imageHistory(w, r, name)
		return
	}
	if name, ok := strings.CutSuffix(rest, "/get"); ok && name != "" {
		a.saveImages(w, r, []string{name})
		return
	}
	name, ok := strings.CutSuffix(rest, "/json")
	if !ok || name == "" {
		pageNotFound(w)
		return
	}
	got, err := a.eng.Images().Inspect(r.Context(), []string{name})
	if err == nil && len(got) != 1 {
		err = errdefs.ErrNoSuchImage
	}
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: name}))
		return
	}
	if !apiAtLeast(server.APIVersion(r), "1.44") {
		server.WriteJSON(w, http.StatusOK, inspectImageV143{InspectImage: got[0], VirtualSize: got[0].Size})
		return
	}
	server.WriteJSON(w, http.StatusOK, got[0])
}

// inspectImageV143 is an image as API 1.43 and older show it: with
// VirtualSize (the same as Size since Docker 1.10's content store), and
// the container an image was committed from, which skiff does not record:
// none, as Docker shows for an imported or pulled image.
type inspectImageV143 struct {
	engine.InspectImage
	VirtualSize     int64                  `json:"VirtualSize"`
	Container       string                 `json:"Container"`
	ContainerConfig engine.ContainerConfig `json:"ContainerConfig"`
}

// imagePost dispatches POST /images/{name}/tag and /push.
func (a *api) imagePost(w http.ResponseWriter, r *http.Request) {
	rest := r.PathValue("rest")
	if name, ok := strings.CutSuffix(rest, "/tag"); ok && name != "" {
		a.tagImage(w, r, name)
		return
	}
	if name, ok := strings.CutSuffix(rest, "/push"); ok && name != "" {
		a.pushImage(w, r, name)
		return
	}
	pageNotFound(w)
}

func (a *api) tagImage(w http.ResponseWriter, r *http.Request, name string) {
	repo, tag := r.URL.Query().Get("repo"), r.URL.Query().Get("tag")
	if repo == "" {
		server.WriteError(w, invalid("the \"repo\" parameter is required"))
		return
	}
	if err := a.eng.Images().Tag(r.Context(), name, engine.TagOptions{Repo: repo, Tag: tag}); err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: name}))
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (a *api) removeImage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("rest")
	reports, err := a.eng.Images().Remove(r.Context(), []string{name}, engine.ImageRemoveOptions{Force: boolParam(r, "force")})
	if errors.Is(err, errdefs.ErrImageInUse) {
		err = a.imageInUse(r.Context(), name, err)
	}
	if err != nil {
		server.WriteError(w, translateError(err, opOther, subject{ref: name}))
		return
	}
	server.WriteJSON(w, http.StatusOK, deleteResponses(reports))
}

// imageInUse words the refusal to remove an image a container uses as
// Docker's daemon does: by the reference given, or by the image's ID, with
// a container that uses it. Without those details cause stays as it is.
func (a *api) imageInUse(ctx context.Context, name string, cause error) error {
	imgs, err := a.eng.Images().Inspect(ctx, []string{name})
	if err != nil || len(imgs) != 1 {
		return cause
	}
	id := imgs[0].ID
	ctrs, err := a.eng.Containers().List(ctx, engine.ListOptions{All: true})
	if err != nil {
		return cause
	}
	for _, c := range ctrs {
		if c.ImageID != id {
			continue
		}
		if !strings.HasPrefix(strings.TrimPrefix(id, "sha256:"), strings.TrimPrefix(name, "sha256:")) {
			return dockerWords(fmt.Sprintf("conflict: unable to remove repository reference %q (must force) - container %s is using its referenced image %s",
				name, stringid.TruncateID(c.ID), stringid.TruncateID(id)), cause)
		}
		force, state := "must be forced", "stopped"
		if c.State == "running" || c.State == "paused" {
			force, state = "cannot be forced", "running"
		}
		return dockerWords(fmt.Sprintf("conflict: unable to delete %s (%s) - image is being used by %s container %s",
			stringid.TruncateID(id), force, state, stringid.TruncateID(c.ID)), cause)
	}
	return cause
}

// deleteResponses flattens skiff's reports into Docker's list, one entry
// per untagged name (in Docker's familiar form) or deleted image.
func deleteResponses(reports []engine.ImageRemoveReport) []image.DeleteResponse {
	out := []image.DeleteResponse{}
	for _, rep := range reports {
		for _, u := range rep.Untagged {
			out = append(out, image.DeleteResponse{Untagged: familiarName(u)})
		}
		if rep.Deleted != "" {
			out = append(out, image.DeleteResponse{Deleted: rep.Deleted})
		}
	}
	return out
}
