// Package docker is the Docker Engine API (v1.24–1.51) as a translation
// layer over skiff's engine interface: it decodes Docker's request shapes
// (query parameters, filters, container.CreateRequest, exec bodies), calls
// exactly the engine methods a request needs, and answers in Docker's
// response shapes, status codes and error wording. Routes returns the route
// table that api-compat/server mounts under /v{version}/ and unversioned.
//
// It owns: Docker-to-engine translation (Config and HostConfig to
// specgen.SpecGenerator, with every unsupported non-default field rejected
// by name), Docker's query conventions (booleans, Unix timestamps, JSON
// filter maps), error classes to Docker's messages, the stream framing
// of attach, logs and exec (stdcopy multiplexing without a TTY, raw with
// one), and the image transfer shapes: X-Registry-Auth decoding, Docker's
// short-name normalisation (busybox is docker.io/library/busybox) for
// pulls, pushes, commits and imports, and the streamed JSON progress
// messages translated from containers/image's plain lines (progress.go).
// Where Docker answers before it streams, so does it: a pull whose
// manifest the registry lacks is a 404 ("manifest for X not found"), not
// a 200 with the error in the stream; a push of a repository with no local
// tag says so after "The push refers to repository". Error messages go out
// on one line, and names as Docker shows them (busybox:latest, not
// docker.io/library/busybox). skiff has no named volumes, and /volumes
// says so in Docker's shapes (an empty list, 404 by name, 501 to create):
// compose lists a project's volumes on every down (volumes.go).
//
// It must not hold engine logic: no container state, no runtime calls, no
// reading of the host beyond what the engine reports, and no importing of
// libpod or pkg/engine/local. It must not own listeners, version-prefix
// handling, /_ping or common headers: those belong to api-compat/server.
package docker
