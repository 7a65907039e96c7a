// Package filter gives skiff's list, prune and event filters Docker's
// semantics by using Docker's own implementation of them
// (github.com/docker/docker/api/types/filters): values of one key are
// alternatives, different keys must all match, every label filter must
// match (label=a=1 and label=b=2 select objects with both), names are
// regular expressions, IDs are prefixes. It owns turning the engine's
// filter maps into filters.Args, refusing keys a kind does not accept
// (Docker's "invalid filter 'x'", an invalid-argument error), the until
// timestamp and the label/label! rule of prune, and the event filter.
//
// The filters of one kind of object live with that object (libpod's
// container list and prune, libpod/image's list and prune); this package
// holds what they share. It must not import libpod or pkg/engine's
// implementations.
package filter
