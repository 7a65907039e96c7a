// Package network owns skiff's container networking backends: the
// netavark bridge backend of containers/common's libnetwork (networks,
// their config files and the "bridge" default network), and the per-
// container network namespaces with their rootless helpers (pasta,
// slirp4netns). It builds the containers/common configuration those
// libraries read in code, so no containers.conf is needed on the host.
//
// It must not touch the state database, container storage or the OCI
// runtime: libpod calls it with what it needs (paths, port mappings,
// network names) and records the results.
package network
