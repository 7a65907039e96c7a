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
package compat
