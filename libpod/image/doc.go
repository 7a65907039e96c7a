// Package image owns skiff's local images: name resolution, import, list,
// inspect and removal; moving images to and from registries and archives
// (pull, push, save, load; progress as containers/image's bars on a
// terminal, as lines otherwise, and as per-blob events for callers that
// draw their own), tags,
// history, manifest lists, prune and search; and making images of a
// container's storage (commit) or exporting it, all over containers/storage
// and containers/common's libimage. Registry credentials are located by
// pkg/registryauth. It keeps the store usable across crashes: images it
// cannot read are reported apart, never in the way of the others (broken.go),
// and a commit that dies half-way is undone by the next process that opens
// the store, through markers in <graphroot>/skiff/pending-commits
// (pending.go). List and prune take Docker's filters, held to Docker's
// keys and values before libimage evaluates them (filters.go).
//
// It must not know about containers' runtime state or the OCI runtime;
// whether an image is in use is storage's answer, and commit and export
// get a container's storage ID from the caller.
package image
