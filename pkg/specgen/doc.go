// Package specgen owns the description of a container as the user asked for
// it (SpecGenerator, the same struct on the wire and in the state database),
// its validation (with the size limits of limits.go, which bound what one
// container record may hold, for the CLI and both APIs alike), the parsing
// of user-facing syntaxes that feed it (`-v`, `--env-file`, signal names),
// and its translation into an OCI runtime spec for runc.
//
// ToOCI starts from runtime-tools' Linux defaults and reshapes them into
// Docker's: Docker's default capability set (bounding, effective, permitted;
// no inheritable or ambient), Docker's masked and read-only /proc and /sys
// paths, a read-only cgroup mount, NOFILE taken from the calling process, and
// Docker's rules for entrypoint/command, environment and user resolution.
// Rootless specs carry no device cgroup rules and no cgroupsPath, and no
// resources at all when the user has no cgroups; they expect to be run by
// runc as uid 0 inside skiff's user namespace (no user namespace in the spec).
//
// Every container gets Docker's default seccomp profile (moby/profiles,
// built once per capability set and cached in the process) unless it is
// privileged or asks for seccomp=unconfined or a profile of its own
// (security.go). Capabilities, masked paths, host devices, sysctls, extra
// groups, the init and rlimits follow the user's flags (security.go,
// devices.go, isolation.go); cgroup limits go into linux.resources, and
// are refused in one line where the caller has no cgroups (resources.go).
//
// This package must not touch the filesystem beyond reading (it stats bind
// mount sources and reads the container's /etc/passwd and /etc/group), must
// not run processes, and must not import libpod, cmd/ or any engine
// implementation: the engine prepares the rootfs and the /etc files and
// passes their paths in GenerateOptions.
package specgen
