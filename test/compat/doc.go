// Package compat checks skiff's Docker Engine API with real Docker clients:
// the docker CLI and the Docker Go SDK, against `skiff system service` on a
// unix socket, once as root and once rootless as $SKIFF_TEST_USER. It is its
// own module so that the SDK's dependencies stay out of skiff's.
//
// The CLI is $DOCKER_CLI, else the docker on PATH, else
// /usr/local/bin/docker, where `hack/install-deps.sh test` puts Debian 12's
// client (20.10, API 1.41) when there is none; the suite passes with it and
// with Docker 28 (API 1.50). TestMain prints which it drives and the API
// version it speaks; the few cases where the clients differ ask
// dockerOlderThan.
//
// TestMain builds a world-readable copy of $SKIFF_BIN (default
// ../../bin/skiff) and of the busybox rootfs ($SKIFF_TEST_ROOTFS, else
// hack/make-busybox-rootfs.sh), imports it as localhost/busybox:latest into
// an isolated store per mode and starts one service per mode with the same
// --root/--runroot. Before the services, two Debian docker-registry
// processes start on 127.0.0.1 in plain HTTP (one with htpasswd auth).
// skiff reads only configuration the suite wrote (isolation_test.go): a
// registries.conf marking both registries insecure, an empty
// containers.conf, a storage.conf naming the overlay driver and an empty
// skiff.conf (CONTAINERS_REGISTRIES_CONF, CONTAINERS_CONF,
// CONTAINERS_STORAGE_CONF, SKIFF_CONFIG), and a HOME per mode holding an
// accept-anything policy.json, never /etc/containers or the user's home;
// the docker CLI gets a HOME and DOCKER_CONFIG of the suite's. Everything lives under
// /tmp/skiff-compat-<pid> and is removed at the end.
//
// Volumes (volumes_test.go): the docker CLI's volume create/ls/inspect/
// rm/prune and run -v NAME:/path through /volumes and container create,
// and a compose project with a named volume (v1 and v2): up -d creates it
// with the project's label, down -v removes it.
//
// # Docker parity
//
// TestParity (parity_test.go) holds skiff to Docker's daily commands: the
// table in parity_table_test.go and parity_table_images_test.go has one
// row per command line (run, create, start, stop, restart, kill, rm, ps,
// logs, exec, attach, inspect, images, tag, rmi, history, save, load, pull,
// push, login, logout, events, info, version, container and image prune,
// with -a, -q, -f, --format, --filter, --tail, --since ...), and each row
// runs twice per mode: skiff itself on the mode's store as the mode's user
// (--root/--runroot of the service, a login file of the row's own), and
// the docker CLI against the mode's service (a DOCKER_CONFIG of the row's
// own). Both runs are held to what Docker documents: the exit code, stdout
// (exact text with IDs and names as placeholders, a table's header
// columns, the key set of JSON output, quiet IDs) and stderr (empty, or
// one line in a given form). A row where skiff deliberately differs, in
// either run, says so with its reason in one line (whyPodman125: skiff
// exits 125 for an engine error with its own one-line wording, as Podman;
// whyProgress: pull, push and load progress as Podman's on stderr), and
// the test logs it. The checks (parity_checks_test.go) are small: exact,
// lines (anchored patterns, many() for a run of lines), table, jsonLines,
// jsonArray, quietIDs, anyOf for clients of different ages.
//
// Rows are independent: each names its own containers, images and labels,
// filters every listing to them, and runs alone (-run
// 'TestParity/root/ps/'). Rows that only read what their setup made share
// it, made once per mode on first use; what rows made is removed once a
// mode's rows are done. Up to parityJobs rows run at once per mode.
// TestParityTable fails when a daily command has no row and logs the
// count per command. A command that lands in a later issue adds its name to
// dailyCommands and its rows to the table.
package compat
