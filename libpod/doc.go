// Package libpod is skiff's engine: containers and their lifecycle (create,
// start, stop, kill, wait, attach, exec, logs, remove), backed by the SQLite
// state (libpod/state), containers/storage and images (libpod/image), and
// the OCI runtime with conmon (libpod/oci). It runs inside the rootless user
// namespace when the user is not root. Container listing and prune follow
// Docker's filter semantics (listfilter.go, prune.go, with libpod/filter).
// Each container's network (netsetup.go, with libpod/network) is set up
// before the runtime creates it and torn down by cleanup, stop and rm;
// the netavark backend is opened only when a bridge network is used.
// It must not import cobra, cmd/ or pkg/engine's implementations, and it
// never parses command-line flags.
package libpod
