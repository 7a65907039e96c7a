// Package e2e is skiff's end-to-end suite: Go tests that run the real skiff
// binary, the way a user does, and check what Docker, Podman and skiff all
// agree on — output, exit codes and container states.
//
// It owns only test/e2e. It must not import skiff's own packages: it talks to
// the binary and nothing else, so it can also validate itself against podman.
//
// # What it covers
//
// Every case runs in four modes, as parallel subtests "root" and "rootless"
// (the latter as $SKIFF_TEST_USER with switched credentials), each against
// its own isolated store passed with --root and --runroot, and "root-remote"
// and "rootless-remote": the same cases, one test table, with every call
// sent as `skiff --url unix://<sock> …` to a `skiff system service --time 0`
// that TestMain starts per remote mode, as that mode's user, on that mode's
// store. Exit codes, error classes and output must match the local modes.
// A few cases that count or remove everything make a fresh store of their
// own (in the remote modes, with a service of its own). A case that tests
// the CLI process itself may call m.localOnly(t, why) to skip the remote
// modes, printing why; none needs to yet.
//
//   - run: exit codes 0/3/125/126/127, -e and --env-file, -w, -u, --entrypoint,
//     --hostname, -l, -v (read-write and :ro), --network none and host, name
//     conflicts, bad flag values (run_test.go); a label or an environment
//     entry over its size limit refused in one line, nothing stored
//     (limits_test.go);
//   - confinement and limits: Docker's default seccomp profile (Seccomp 2,
//     unshare -U blocked; seccomp=unconfined and a profile file; a missing
//     file named), no-new-privileges, mask/unmask, label=disable, the default
//     capability set, --cap-add/--cap-drop/all, --privileged
//     (security_test.go); --ulimit (rootless: not above the user's hard
//     limit), --sysctl net.* in a private netns and refused with the host's,
//     --group-add, --init (catatonit as PID 1), --device (rootless: a device
//     the user may not open refused), --memory/--pids-limit/--cpus applied as
//     root and refused rootless on this cgroup v1 host, nothing stored
//     (isolation_flags_test.go); update of a running container's limits
//     (root; refused rootless);
//   - networking: a namespace of the container's own by default (pasta
//     rootless, netavark's bridge as root), -p for TCP and UDP reached from
//     the host, port/ps/inspect in Docker's shape, host.containers.internal,
//     a taken or privileged port refused leaving nothing behind, kill -9 of
//     conmon and pasta, the /etc flags, --network none staying lean
//     (network_test.go);
//   - volumes: volume create/ls/inspect/exists/rm/prune/export/import with
//     filters, json and templates, rm of a volume in use naming the
//     container and rm -f removing it, prune removing only anonymous
//     volumes unless -a (volumes_test.go: TestVolumeCRUD); data kept across
//     containers, copy-up of the image's directory (not with nocopy), :ro,
//     --read-only with its tmpfs, --tmpfs, --mount type=volume|tmpfs,
//     --volumes-from, rm -v and --rm removing anonymous volumes, inspect's
//     Mounts (TestVolumeMounts); tmpfs and bind volumes mounted at start and
//     U (TestVolumeDriverOptions);
//   - user networks: network create/ls/inspect/exists/rm/prune with every
//     filter, --format (templates, json), Docker's errors, the builtin
//     networks refused; rm of a network in use naming the container, rm -f
//     removing it; connect/disconnect records; prune's question and filters
//     (networks_crud_test.go); two containers reaching each other by name
//     and by alias (aardvark-dns), a container on another network reaching
//     neither, connect/disconnect of a running container changing that, an
//     --internal network not reaching a listener on the host
//     (networks_dns_test.go);
//   - a command the runtime cannot run (missing, not executable) through
//     exec (plain, -i, -d, -it on a pty), run, run -d and start (-a): exit
//     127 or 126 and one line saying the runtime's reason once, never also
//     relayed on the process's stream or terminal (runtimeerr_test.go);
//   - detached containers: run -d, ps, logs (-f, --tail, -t, --since), exec
//     (-e, -w, -u, -d, exit codes), stop escalating to SIGKILL, kill -s,
//     restart, wait (detached_test.go);
//   - lifecycle and listing: create, start -a, rm (running, -f, -a), ps with
//     -a -q -l -n --no-trunc -s, every filter, --format templates, table and
//     json (lifecycle_test.go);
//   - name resolution (full ID, prefix, name, unknown, ambiguous), container
//     and image inspect, images, image/container exists, import, rmi, info,
//     version (inspect_test.go);
//   - pause and unpause (and `container pause`): a counter's output stops
//     and resumes, ps "Up … (Paused)", --filter status=paused, inspect
//     State.Paused, pause/unpause events, exec, start, rm and a second pause
//     refused (125), stop, kill and rm -f of a paused container (no process
//     or runtime state left), one frozen by runc behind skiff's back (as a
//     crashed CLI leaves it) removed by rm -f, commit -p keeping a running
//     container running and a paused one paused; rootless on a cgroup v1
//     host: pause and commit -p refused with one line, plain commit works
//     (pause_test.go);
//   - published ports keep the client's address: a client host of the
//     test's own (a network namespace and a veth pair, 198.18.0.0/15) asks a
//     probe in a container behind -p on the link address and on all
//     addresses, over TCP and UDP, and the probe must have seen the client's
//     address; a UDP port published on 127.0.0.1 answers, with the same and
//     another container port (sourceaddr_test.go; the probe is
//     test/e2e/peeraddr, built static and bind-mounted, as busybox has no
//     UDP server or client; needs ip, which `hack/install-deps.sh test`
//     installs);
//   - robustness: SIGKILL of the CLI in the middle of run, --rm containers
//     killed by a signal, 20 concurrent runs and removals (robustness_test.go);
//   - crash consistency of images: an image whose manifest files are deleted
//     from the store is named on stderr by images (exit 0), refused by
//     inspect in one line, removed by rmi and by image prune; commit with a
//     bad name writes nothing; commits SIGKILLed at random points (the
//     service, in the remote modes) leave no broken or unnamed image and no
//     layer of their own; commits side by side with images all complete
//     whole; save -o replaces an existing file, and a failed save leaves it
//     as it was (brokenimage_test.go);
//   - terminals, through a pty the test drives: run -it (size, resize, Ctrl-C,
//     exit code), --detach-keys, attach and detach (tty_test.go);
//   - remote only: error classes and exit codes over the wire, CONTAINER_HOST
//     and DOCKER_HOST (and a CONTAINER_HOST that is not skiff), named and
//     default connections (remote_test.go, ssh_test.go); a DOCKER_HOST at a
//     Docker daemon (a fake one the test serves) leaves skiff local, an
//     explicit --url at it is refused naming it (dockerhost_test.go);
//   - Docker's filter semantics for ps, images and prune, events showing
//     only new events without --since/--until (filters_test.go); info and
//     version templates with Docker's fields (dockerfields_test.go); ssh:// through an
//     sshd the test runs as the test user on a loopback port with keys it
//     makes (ssh_test.go; skipped without /usr/sbin/sshd, which
//     `hack/install-deps.sh test` installs); tcp:// with mutual TLS and
//     certificates made with openssl, refused without a client certificate
//     or with one from another CA (tls_test.go);
//   - images and registries, against Debian's docker-registry started by the
//     test on 127.0.0.1 in three modes (registry_fixture_test.go): plain HTTP
//     (insecure through CONTAINERS_REGISTRIES_CONF in the local modes,
//     --tls-verify=false in the remote ones, whose service cannot see the
//     variable), TLS with a CA made with openssl (--cert-dir), TLS with
//     htpasswd auth (bcrypt made in Go). push/pull round trips keeping ID and
//     digest, pull by digest, -q, certificate refusal, login/logout
//     (--authfile, --password-stdin, --get-login, the default auth file),
//     --creds, "authentication required", concurrent pulls, a pull killed
//     with SIGKILL mid-copy (no half image, retry works), run --pull,
//     search (registry_test.go); a two-platform manifest list pushed and
//     pulled with --arch (manifest_test.go); commit then run, export, image
//     prune (commit_test.go); save/load in docker-archive (several images, -o/-i)
//     and oci-archive (stdout/stdin), history, untag, truncated and garbage
//     archives, hostile layers (../, absolute, symlink and hard link out of
//     the layer) proving nothing outside the store changes, rmi of an image
//     in use naming the container, rmi -f (saveload_test.go); a Podman
//     user's config honoured, with two registries and a registries.conf per
//     case (read by the remote modes' own services too): search registries in
//     order, short-name aliases, an ambiguous short name refused without a
//     TTY (enforcing), blocked registries, a mirror used while the primary is
//     down, and policy.json "reject" through pull --signature-policy, which
//     remote calls refuse (regconfig_test.go). Skipped without
//     /usr/bin/docker-registry (`hack/install-deps.sh test`);
//   - credentials a Docker user already has, with the client given a HOME
//     of its own: ~/.docker/config.json and $DOCKER_CONFIG (refused without
//     them, a wrong password refused), Docker's file beside an auth.json of
//     other registries, a docker-credential-skifftest helper
//     named by credHelpers (a shell script on PATH: asked for the right
//     host, wrong answers refused), login/pull/logout storing, reading and
//     erasing through a helper named in the auth file; the remote modes
//     prove the client's own files are read and sent (credsources_test.go);
//   - the enforcing short-name prompt through a pty: two search registries
//     (one registry as 127.0.0.1:PORT and localhost:PORT), the second chosen
//     with the down arrow and Enter, pulled under that name, the choice
//     recorded as an alias that a pull without a terminal then follows; in
//     the remote modes the service, which has no terminal, refuses with the
//     names to choose from (shortname_tty_test.go);
//   - image signatures against the registry fixture: policy.json signedBy
//     (GPGKeys) with "simple signing" signatures made by the real gpg and
//     put in a lookaside directory that ~/.config/containers/registries.d
//     names, and push --sign-by-sigstore-private-key with
//     --sign-passphrase-file (a key pair from containers/image's
//     GenerateKeyPair) writing a sigstore attachment (sha256-HEX.sig) that
//     sigstoreSigned accepts; another key, an unsigned image and a wrong
//     passphrase refused. Local modes name the policy with
//     --signature-policy, remote ones put it in their service's $HOME, and
//     a remote client is refused the private key (signing_test.go; skipped
//     without gpg, which `hack/install-deps.sh test` installs);
//   - what a Docker user sees from the same command line (alias
//     docker=skiff): container and image prune asking Docker's question and
//     honouring n, an empty answer or no stdin (nothing removed, exit 0), -f
//     not asking, Docker's report; run -it, exec -it and attach refusing a
//     stdin that is not a terminal ("the input device is not a TTY", 125,
//     nothing created), -t, -i and -d alone taking any stdin; logs --tail
//     all/-1/garbage showing everything; rm -f a nosuch b printing a and b
//     only; -v ./dir and --mount src=./dir resolved against the CLI's
//     working directory, a bare name making a named volume; logout with no
//     auth file or no entry succeeding with Docker's words; Docker's
//     commands skiff lacks (system prune -f, volume update, …) refused in one
//     line before any flag is parsed; help with examples and Docker's flag
//     names; run -it and exec -it on a pty printing the container's output
//     first, with no NUL or "^@" before it (dockerparity_test.go).
//
// # Running it
//
// The suite must run as root. Build skiff first (bin/skiff), then:
//
//	go test -tags 'containers_image_openpgp exclude_graphdriver_btrfs exclude_graphdriver_devicemapper' ./test/e2e/
//	go test ./test/e2e/ -run 'TestExec$'            # one test, both modes
//	go test ./test/e2e/ -run 'TestExec$/^rootless$' # one test, one mode
//	SKIFF_E2E_MODES=root-remote go test ./test/e2e/  # the remote root mode only
//	SKIFF_BIN=podman go test ./test/e2e/            # validate the suite itself
//
// The suite has no build tags of its own; the tags above only keep the build
// cache shared with the rest of the repository.
//
// # Environment
//
//   - SKIFF_BIN: the engine binary (default <repo>/bin/skiff; a bare name is
//     looked up in PATH). A binary named podman switches on podman-validation
//     mode, where skiff-specific wording is not checked (only exit codes),
//     and podman's own exit codes and JSON shapes are accepted where they
//     differ (rmi codes, ps --format json, inspect's Name).
//   - SKIFF_E2E_PODMAN=1: podman-validation mode for a binary with another name.
//   - SKIFF_TEST_USER: the rootless user (default skifftest); created with
//     useradd, and given /etc/subuid and /etc/subgid ranges
//     (200000:65536), when missing.
//   - SKIFF_TEST_ROOTFS: a prebuilt busybox rootfs tar; otherwise the suite
//     runs hack/make-busybox-rootfs.sh, or builds the same tar in Go.
//   - SKIFF_E2E_MODES: a comma-separated subset of root, rootless,
//     root-remote and rootless-remote (the default: all four; root,rootless
//     in podman-validation mode). A service's log is service.log next to its
//     store (kept with SKIFF_E2E_KEEP=1).
//   - SKIFF_E2E_KEEP=1: keep /tmp/skiff-e2e-<pid> (stores, logs) afterwards.
//   - SKIFF_E2E_KILL_PAUSE=1: at the end, also kill the test user's rootless
//     pause process (it is shared with the user's other sessions, so the
//     default leaves it and only unmounts what the suite mounted in it).
//   - Other SKIFF_* variables (not SKIFF_TEST_*, SKIFF_E2E_*, SKIFF_BIN) are
//     passed to the engine, e.g. a log level.
//
// Every call gets a clean environment: PATH, HOME, USER, LOGNAME, LANG, the
// suite's containers configuration, and nothing else; XDG_RUNTIME_DIR is
// unset for skiff (it falls back to /tmp/skiff-$UID) and set to a private
// directory for podman, which needs it. No call reads the host's
// /etc/containers or a user's ~/.config/containers (isolation_test.go):
// CONTAINERS_REGISTRIES_CONF, CONTAINERS_CONF, CONTAINERS_STORAGE_CONF and
// SKIFF_CONFIG name files the suite wrote below its directory, and HOME is a directory
// per mode (never the user's own, nor /root) holding an accept-anything
// policy.json and an empty registries.d. Cases about those files name their
// own, which override the suite's.
//
// TestMain copies the binary and the fixture tar to /tmp/skiff-e2e-<pid>/
// (world-readable, since the test user may not read the repository), imports
// the fixture as localhost/busybox:latest into each store, and at the end
// removes all containers, kills what is left of them (processes whose command
// line or environment names that directory, or whose root filesystem lives
// below it), unmounts anything still mounted below it in any mount namespace,
// and deletes it. A run that died before its clean-up (go test's timeout, a
// closed pipe) is cleaned up by the next run's TestMain.
//
// # Validating with podman
//
// Podman 4.3 on these machines needs, in containers.conf,
//
//	[containers]
//	default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
//	netns = "none"
//	[engine]
//	runtime = "runc"
//
// (crun fails on cgroup v1; podman's default rlimits exceed the sandbox's hard
// limits; rootless slirp4netns cannot open /dev/net/tun while it is mode 0600,
// and only network_test.go depends on the default network). The suite's own
// containers.conf holds exactly that in podman-validation mode, so nothing on
// the host needs changing. Where podman's behaviour differs from skiff's
// specification the suite accepts podman's in podman mode only: rm of a
// running container exits 2, exec into a stopped one 255, rmi 1 (unknown) and
// 2 (in use), inspect's Name has no leading slash, ps --format json uses
// podman's field names.
package e2e
