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
// Importing this package is what installs the constructor: only the skiff
// binary (and test programs) should import it, and nothing in it may be
// called to change namespaces later. It owns the runtime dir's pause.pid and
// pause.lock and nothing else there; it must not know about storage, the
// OCI runtime or the CLI. Rootless networking is not here yet.
package rootless
