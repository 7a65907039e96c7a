// Package rootless puts an unprivileged skiff process into skiff's
// long-lived user and mount namespace, as root inside it, so that storage
// mounts and containers made by one invocation are visible to the next.
//
// The work happens in a C constructor (nsenter.c) that runs when the binary
// starts, before the Go runtime starts threads, because setns into a user
// namespace needs a single-threaded process. The namespaces are held open by
// a "pause process" named skiff-pause whose pid is in
// <runtime dir>/pause.pid. Every invocation joins it (setns, then
// setresuid/setresgid to 0 and back to the original working directory); the
// first invocation after boot, or after the pause process died, creates it
// under a file lock, mapping uid/gid 0 to the invoking user and 1..N to the
// user's first /etc/subuid and /etc/subgid range through newuidmap and
// newgidmap. There is no re-exec.
//
// The constructor never exits the process. It skips the namespace for real
// root, for processes already inside it (uid 0 with _SKIFF_ROOTLESS_UID set,
// e.g. the exit command conmon runs), and for command lines that need no
// engine (help, version, completion, remote mode); it records failures
// instead of reporting them. Engine code calls EnsureNamespace before doing
// work and reports its error; errdefs.ErrNoSubIDs marks a user without
// subordinate id ranges.
//
// The runtime dir is <base>/skiff, where the base is chosen as Podman
// chooses XDG_RUNTIME_DIR (rundir.c): the variable, else the user's own
// 0700 /run/user/<uid>, else a private /tmp/skiff-<uid>. The constructor
// exports the base as XDG_RUNTIME_DIR in every rootless process, including
// those that skip the namespace, so that containers/image and every other
// library find the user's files there and never fall back to
// /run/containers/<uid>. One storage is served by one namespace: the base
// a storage was used with is recorded beside it (StorageRecord in its
// skiff directory); the constructor switches to the recorded base while
// its pause process lives, and ClaimStorage, called by the engine once the
// configuration names the storage, writes the record or refuses a
// command that would split a storage between two namespaces.
//
// Importing this package is what installs the constructor: only the skiff
// binary (and test programs) should import it, and nothing in it may be
// called to change namespaces later. It owns the runtime dir's pause.pid and
// pause.lock and the storage record, and nothing else there; it must not
// know how storage is laid out beyond that record, the OCI runtime or the
// CLI. Rootless networking is not here yet.
package rootless
