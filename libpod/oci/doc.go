// Package oci drives the OCI runtime (runc or crun) and conmon for skiff.
//
// It owns: choosing the runtime binary and conmon (Detect); starting conmon,
// which runs `runtime create` and then monitors the container
// (CreateContainer); the plain runtime verbs start, kill, pause, resume and
// delete, and whether a container can be paused at all (Freezer); conmon's
// exit files (ReadExitFile, WaitExit); conmon's attach socket and ctl FIFO
// (OpenAttach, AttachConn.Copy, ResizeTerminal); detach-key parsing; and
// exec sessions, which run `runtime exec` directly without conmon
// (ExecContainer). A runtime's failure comes back as one error in Docker's
// words, "OCI runtime <verb> failed: <the runtime's own message>", of the
// errdefs class its message stands for (a missing executable is
// ErrCommandNotFound, one that cannot be run ErrCannotInvoke); runc's copy
// of that message on an attached exec's stream is dropped (lastWords).
//
// It must not touch: the container's OCI spec (pkg/specgen writes the
// bundle's config.json before CreateContainer), the root filesystem (libpod
// mounts it), the SQLite state (libpod/state) or the user namespace (rootless
// enters it before this package runs). Normal operation never calls
// `runtime state`: conmon's exit files and the caller's database are the
// truth, which keeps `ps` and `run --rm` cheap.
//
// Everything here runs either as real root or as uid 0 inside skiff's user
// namespace; runc detects the user namespace and handles cgroups rootlessly
// by itself, and the runtime's state directory is always passed explicitly
// with --root.
package oci
