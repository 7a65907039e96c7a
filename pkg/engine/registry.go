package engine

import (
	"context"
	"encoding/json"
	"io"
)

// ImageTransferEngine moves images between the store and registries or
// archives. It is part of ImageEngine. Progress writers get one line per
// blob ("Copying blob sha256:…", "… skipped: already exists"), or
// containers/image's bars when they are a terminal; nil means silence.
type ImageTransferEngine interface {
	Pull(ctx context.Context, opts PullOptions, progress io.Writer) (*PullReport, error)
	Push(ctx context.Context, opts PushOptions, progress io.Writer) (*PushReport, error)
	// Save writes the archive to out unless opts.Output names a path.
	Save(ctx context.Context, opts SaveOptions, out io.Writer) error
	// Load reads the archive from in unless opts.Input names a path.
	Load(ctx context.Context, opts LoadOptions, in io.Reader, progress io.Writer) (*LoadReport, error)
	Untag(ctx context.Context, name string, opts UntagOptions) error
	History(ctx context.Context, name string) ([]ImageHistory, error)
	// Commit makes an image of a container's filesystem changes.
	Commit(ctx context.Context, container string, opts CommitOptions) (*CommitReport, error)
	// Export writes a container's whole filesystem to out as a tar stream.
	Export(ctx context.Context, container string, out io.Writer) error
	// Prune removes dangling images (all unused ones with All).
	Prune(ctx context.Context, opts ImagePruneOptions) (*ImagePruneReport, error)
	// Search asks a registry for repositories matching a term.
	Search(ctx context.Context, opts SearchOptions) ([]SearchResult, error)
	// ManifestCreate makes a manifest list (an OCI index) named name,
	// holding images, and returns its ID.
	ManifestCreate(ctx context.Context, name string, opts ManifestAddOptions) (string, error)
	// ManifestAdd adds opts.Images to the list and returns the digest of
	// the last instance added.
	ManifestAdd(ctx context.Context, list string, opts ManifestAddOptions) (string, error)
	// ManifestInspect returns the list as JSON (OCI index shape).
	ManifestInspect(ctx context.Context, list string) (json.RawMessage, error)
	// ManifestPush copies the list and all its images to a destination.
	ManifestPush(ctx context.Context, list string, opts PushOptions, progress io.Writer) (*PushReport, error)
	// Diff lists the changes of a container's (or an image's top) layer.
	Diff(ctx context.Context, name string) ([]Change, error)
	// ManifestRemove removes lists, not the images they name.
	ManifestRemove(ctx context.Context, lists []string) ([]ImageRemoveReport, error)
	// Login checks credentials against a registry and stores nothing:
	// the caller keeps them (Docker's /auth; the CLI's login stores them
	// itself). Refused credentials are an errdefs unauthorized error.
	Login(ctx context.Context, opts LoginOptions) error
}

// LoginOptions name a registry (host[:port]) and the credentials to check.
// TLSVerify and CertDir are as in RegistryOptions.
type LoginOptions struct {
	Registry  string `json:"registry"`
	Username  string `json:"username"`
	Password  string `json:"password"`
	TLSVerify *bool  `json:"tlsVerify,omitempty"`
	CertDir   string `json:"certDir,omitempty"`
}

// ManifestAddOptions add images to a manifest list. Images are references
// in any transport; without one, docker:// is tried, then local storage.
// OS, Arch and Variant override the platform recorded for the instances.
type ManifestAddOptions struct {
	RegistryOptions
	Images  []string `json:"images,omitempty"`
	All     bool     `json:"all,omitempty"`
	OS      string   `json:"os,omitempty"`
	Arch    string   `json:"arch,omitempty"`
	Variant string   `json:"variant,omitempty"`
}

// ImagePruneOptions select images to prune. Filters are Docker's
// (dangling, label, label!, until; dangling=false is All); images used by
// containers are never pruned.
type ImagePruneOptions struct {
	All     bool                `json:"all,omitempty"`
	Filters map[string][]string `json:"filters,omitempty"`
}

// ImagePruneReport is Docker's /images/prune answer.
type ImagePruneReport struct {
	Deleted        []ImageRemoveReport `json:"ImagesDeleted"`
	SpaceReclaimed uint64              `json:"SpaceReclaimed"`
}

// SearchOptions query a registry. Term is "[REGISTRY/]NAME"; without a
// registry, registries.conf's unqualified-search registries are asked.
type SearchOptions struct {
	RegistryOptions
	Term     string `json:"term"`
	Limit    int    `json:"limit,omitempty"`
	ListTags bool   `json:"listTags,omitempty"`
}

// SearchResult is one repository (or tag, with ListTags) found.
type SearchResult struct {
	Index       string `json:"Index"`
	Name        string `json:"Name"`
	Description string `json:"Description"`
	Stars       int    `json:"Stars"`
	Official    string `json:"Official"`
	Automated   string `json:"Automated"`
	Tag         string `json:"Tag,omitempty"`
}

// CommitOptions make an image of a container. The container's command,
// entrypoint, environment, working directory, user and labels become the
// image's; Changes (Dockerfile instructions: CMD, ENTRYPOINT, ENV, LABEL,
// EXPOSE, USER, VOLUME, WORKDIR, STOPSIGNAL) are applied last.
type CommitOptions struct {
	Reference string   `json:"reference,omitempty"`
	Changes   []string `json:"changes,omitempty"`
	Message   string   `json:"message,omitempty"`
	Author    string   `json:"author,omitempty"`
	// Pause freezes a running container while its layer is read, so the
	// image is a consistent snapshot.
	Pause bool `json:"pause,omitempty"`
}

// CommitReport names the new image.
type CommitReport struct {
	ID string `json:"Id"`
}

// RegistryOptions say how to reach and authenticate to a registry. Paths
// are on the engine's host; the remote engine turns the client's own
// credentials into Creds before sending a request.
type RegistryOptions struct {
	// TLSVerify, when set, overrides registries.conf's insecure setting:
	// false skips certificate checks and allows plain HTTP.
	TLSVerify *bool `json:"tlsVerify,omitempty"`
	// CertDir holds ca.crt-style CA files and client certificates, in
	// place of /etc/containers/certs.d/HOST.
	CertDir string `json:"certDir,omitempty"`
	// AuthFile is the auth.json to read credentials from.
	AuthFile string `json:"authFile,omitempty"`
	// Creds is "user[:password]" and wins over the auth file.
	Creds string `json:"creds,omitempty"`
}

// PullOptions fetch an image into the store.
type PullOptions struct {
	RegistryOptions
	Reference string `json:"reference"`
	AllTags   bool   `json:"allTags,omitempty"`
	// OS, Arch and Variant choose an entry of a manifest list; empty
	// means the host's.
	OS      string `json:"os,omitempty"`
	Arch    string `json:"arch,omitempty"`
	Variant string `json:"variant,omitempty"`
	// Policy is missing (the default), always, never or newer.
	Policy string `json:"policy,omitempty"`
	Quiet  bool   `json:"quiet,omitempty"`
	// SignaturePolicy is a policy.json to use instead of the default one.
	// It is never sent to or taken from a client: a caller of a service
	// must not choose the service's trust policy.
	SignaturePolicy string `json:"-"`
	// OnLayer, when set, is told each step of each blob's copy, for callers
	// that draw their own progress (the Docker API). It stays in-process.
	OnLayer func(LayerProgress) `json:"-"`
}

// PullReport names what a pull stored.
type PullReport struct {
	// Images are the IDs of the images pulled (several with AllTags).
	Images []string `json:"images"`
}

// PushOptions copy a local image to any destination containers/image
// knows: docker://, oci-archive:, docker-archive:, dir:, oci:.
type PushOptions struct {
	RegistryOptions
	Source string `json:"source"`
	// Destination defaults to Source in the docker transport.
	Destination string `json:"destination,omitempty"`
	// CompressionFormat is gzip, zstd or zstd:chunked; empty keeps the
	// configured default.
	CompressionFormat string `json:"compressionFormat,omitempty"`
	Quiet             bool   `json:"quiet,omitempty"`
	// SignBySigstorePrivateKeyFile, when set, signs the pushed manifest with
	// this sigstore (cosign-format) private key, a path on the engine's host.
	// Like the passphrase it is never sent to a service: a private key must
	// not leave its host, so the remote engine refuses both.
	SignBySigstorePrivateKeyFile string `json:"-"`
	// SignSigstorePrivateKeyPassphrase decrypts that key.
	SignSigstorePrivateKeyPassphrase []byte `json:"-"`
	// OnLayer is as in PullOptions.
	OnLayer func(LayerProgress) `json:"-"`
}

// LayerEvent names a step of one blob's copy.
type LayerEvent string

const (
	// LayerStarted: the copy of a blob began; Total is its size, or -1.
	LayerStarted LayerEvent = "started"
	// LayerRead: Offset bytes of Total are copied (about once a second).
	LayerRead LayerEvent = "read"
	// LayerDone: the blob is copied.
	LayerDone LayerEvent = "done"
	// LayerSkipped: the destination already had the blob.
	LayerSkipped LayerEvent = "skipped"
)

// LayerProgress is one step of a blob's copy. Config says the blob is the
// image's configuration rather than a layer.
type LayerProgress struct {
	Event  LayerEvent
	Digest string
	Config bool
	Offset int64
	Total  int64
}

// PushReport gives the digest of the manifest written.
type PushReport struct {
	Digest string `json:"digest"`
	// Size is the pushed manifest's size in bytes, as Docker reports it.
	Size int `json:"size"`
}

// SaveOptions write images to an archive.
type SaveOptions struct {
	Names []string `json:"names"`
	// Format is docker-archive (default), oci-archive, oci-dir or docker-dir.
	Format string `json:"format,omitempty"`
	// Output is a path on the engine's host; empty means the archive is
	// written to the caller's writer (archive formats only).
	Output string `json:"output,omitempty"`
	Quiet  bool   `json:"quiet,omitempty"`
}

// LoadOptions read images from an archive or directory.
type LoadOptions struct {
	// Input is a path on the engine's host; empty means the archive comes
	// from the caller's reader.
	Input string `json:"input,omitempty"`
	Quiet bool   `json:"quiet,omitempty"`
}

// LoadReport names the images loaded.
type LoadReport struct {
	Names []string `json:"names"`
}

// UntagOptions remove names from an image; no Names removes them all.
type UntagOptions struct {
	Names []string `json:"names,omitempty"`
}

// ImageHistory is one layer of `history`, in Docker's /images/{name}/history shape.
type ImageHistory struct {
	ID        string   `json:"Id"`
	Created   int64    `json:"Created"`
	CreatedBy string   `json:"CreatedBy"`
	Tags      []string `json:"Tags"`
	Size      int64    `json:"Size"`
	Comment   string   `json:"Comment"`
}

// Change is one entry of a diff, in Docker's /containers/{id}/changes
// shape: Kind 0 is modified, 1 added, 2 deleted.
type Change struct {
	Path string `json:"Path"`
	Kind int    `json:"Kind"`
}
