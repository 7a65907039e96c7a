package engine

import "time"

// ImportOptions makes an image from a root filesystem tarball.
type ImportOptions struct {
	// Source is a path on the engine's host ("-" is resolved by the CLI).
	Source    string   `json:"source"`
	Reference string   `json:"reference,omitempty"`
	Changes   []string `json:"changes,omitempty"`
	Message   string   `json:"message,omitempty"`
}

// ImportReport names the imported image.
type ImportReport struct {
	ID string `json:"Id"`
}

// ImageListOptions selects images.
type ImageListOptions struct {
	All     bool                `json:"all,omitempty"`
	Filters map[string][]string `json:"filters,omitempty"`
}

// ImageListReport is what `images` lists: the images that could be read,
// and apart from them those that could not, so that one unreadable image
// neither hides the others nor goes unnoticed.
type ImageListReport struct {
	Images []ImageSummary `json:"images"`
	Broken []BrokenImage  `json:"broken,omitempty"`
}

// BrokenImage is an image the store holds but cannot read (its manifest
// or config is missing or unreadable, or its top layer is gone); it can
// only be removed.
type BrokenImage struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// ImageSummary is one row of `images`, in Docker's /images/json shape.
type ImageSummary struct {
	ID          string            `json:"Id"`
	ParentID    string            `json:"ParentId"`
	RepoTags    []string          `json:"RepoTags"`
	RepoDigests []string          `json:"RepoDigests"`
	Created     int64             `json:"Created"`
	Size        int64             `json:"Size"`
	SharedSize  int64             `json:"SharedSize"`
	VirtualSize int64             `json:"VirtualSize"`
	Labels      map[string]string `json:"Labels"`
	Containers  int               `json:"Containers"`
}

// ImageRemoveOptions removes images.
type ImageRemoveOptions struct {
	Force bool `json:"force,omitempty"`
	All   bool `json:"all,omitempty"`
}

// ImageRemoveReport says what rmi did for one argument.
type ImageRemoveReport struct {
	Untagged []string `json:"Untagged,omitempty"`
	Deleted  string   `json:"Deleted,omitempty"`
}

// InspectImage is an image's description in Docker's shape (API 1.44 and
// later: no VirtualSize, which the Docker API adds back for older
// clients).
type InspectImage struct {
	ID            string          `json:"Id"`
	RepoTags      []string        `json:"RepoTags"`
	RepoDigests   []string        `json:"RepoDigests"`
	Parent        string          `json:"Parent"`
	Comment       string          `json:"Comment"`
	Created       time.Time       `json:"Created"`
	Author        string          `json:"Author"`
	Config        ContainerConfig `json:"Config"`
	Architecture  string          `json:"Architecture"`
	Os            string          `json:"Os"`
	Size          int64           `json:"Size"`
	GraphDriver   GraphDriver     `json:"GraphDriver"`
	RootFS        RootFS          `json:"RootFS"`
	DockerVersion string          `json:"DockerVersion"`
	Metadata      ImageMetadata   `json:"Metadata"`
}

// ImageMetadata is Docker's image Metadata block. skiff keeps no tag
// times, so LastTagTime is the zero time Docker shows for an image never
// tagged locally.
type ImageMetadata struct {
	LastTagTime time.Time `json:"LastTagTime"`
}

// RootFS lists an image's layers.
type RootFS struct {
	Type   string   `json:"Type"`
	Layers []string `json:"Layers"`
}
