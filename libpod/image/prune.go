package image

import (
	"context"
	"fmt"

	"github.com/containers/common/libimage"
	"github.com/containers/image/v5/types"

	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/registryauth"
)

// Prune removes dangling images, or with All (or Docker's dangling=false
// filter) every image no container uses, repeating while removals leave
// new dangling parents behind. Filters are Docker's (dangling, label,
// label!, until); every label filter must match, and an image matching a
// label! filter is kept.
// Without filters it also removes broken images no container uses, named
// or not: nothing can be done with them but removing them (a filter is
// not evaluated on them, so a prune filtered by more than dangling
// leaves them).
func (s *Store) Prune(ctx context.Context, opts engine.ImagePruneOptions) (*engine.ImagePruneReport, error) {
	s.recoverCommits()
	rep := &engine.ImagePruneReport{Deleted: []engine.ImageRemoveReport{}}
	danglingOnly := !opts.All
	filters, err := s.libimageFilters(ctx, opts.Filters, pruneFilterKeys, &danglingOnly)
	if err != nil {
		return rep, err
	}
	if _, dangling := opts.Filters["dangling"]; len(opts.Filters) == 0 || (dangling && len(opts.Filters) == 1) {
		if err := s.pruneBroken(ctx, rep); err != nil {
			return rep, err
		}
	}
	filters = append(filters, "readonly=false", "containers=false")
	for {
		reports, errs := s.rt.RemoveImages(ctx, nil, &libimage.RemoveImagesOptions{Filters: filters, WithSize: true})
		if len(errs) > 0 {
			return rep, removeError(errs[0])
		}
		removed := 0
		for _, r := range reports {
			out := engine.ImageRemoveReport{Untagged: r.Untagged}
			if r.Removed {
				out.Deleted = "sha256:" + r.ID
				removed++
				rep.SpaceReclaimed += uint64(r.Size)
			}
			rep.Deleted = append(rep.Deleted, out)
		}
		if removed == 0 {
			return rep, nil
		}
	}
}

// pruneBroken removes the broken images that no container uses.
func (s *Store) pruneBroken(ctx context.Context, rep *engine.ImagePruneReport) error {
	broken, err := s.brokenImages()
	if err != nil || len(broken) == 0 {
		return err
	}
	ctrs, err := s.store.Containers()
	if err != nil {
		return fmt.Errorf("listing containers: %w", err)
	}
	for _, c := range ctrs {
		delete(broken, c.ImageID)
	}
	ids := make([]string, 0, len(broken))
	for id := range broken {
		ids = append(ids, id)
	}
	reports, errs := s.rt.RemoveImages(ctx, ids, &libimage.RemoveImagesOptions{})
	for _, r := range reports {
		out := engine.ImageRemoveReport{Untagged: r.Untagged}
		if r.Removed {
			out.Deleted = "sha256:" + r.ID
		}
		rep.Deleted = append(rep.Deleted, out)
	}
	if len(errs) > 0 {
		return removeError(errs[0])
	}
	return nil
}

// Search asks a registry (or the unqualified-search registries) for
// repositories matching opts.Term; distribution registries without the v1
// search API are searched through their catalogue.
func (s *Store) Search(ctx context.Context, opts engine.SearchOptions) ([]engine.SearchResult, error) {
	so := &libimage.SearchOptions{
		Limit:       opts.Limit,
		ListTags:    opts.ListTags,
		Authfile:    registryauth.ReadAuthFile(registryauth.ProcessEnv(), opts.AuthFile),
		CertDirPath: opts.CertDir,
		Credentials: opts.Creds,
	}
	if opts.TLSVerify != nil {
		so.InsecureSkipTLSVerify = types.NewOptionalBool(!*opts.TLSVerify)
	}
	found, err := s.rt.Search(ctx, opts.Term, so)
	if err != nil {
		return nil, registryError(fmt.Sprintf("searching for %s", opts.Term), err)
	}
	out := make([]engine.SearchResult, 0, len(found))
	for _, r := range found {
		out = append(out, engine.SearchResult{Index: r.Index, Name: r.Name, Description: r.Description,
			Stars: r.Stars, Official: r.Official, Automated: r.Automated, Tag: r.Tag})
	}
	return out, nil
}
