// Package server is the HTTP side of `skiff system service`: it owns the
// listeners (unix sockets, TCP with mutual TLS, sockets handed over by
// systemd), the route table the API packages contribute, and everything
// that is the same for every endpoint: the Docker-style version prefix
// (/v1.24/ … /v1.51/ and unversioned), /_ping, the common response headers,
// JSON error and body helpers (with moby's Content-Type rule), connection
// hijacking, panic recovery, body size limits, header and body timeouts,
// the access log and the idle-exit policy.
//
// Routes come from the caller: api-compat/docker and api-compat/native each
// export Routes(engine.Engine) []Route, and the command wires them in. This
// package must not import those packages, the engine implementations or
// libpod, must not translate any engine type, and must not read flags or
// the environment; systemd socket activation is the systemd package's.
//
// Idle exit and keep-alive: a connection counts as busy from accept until
// its response is done, a hijacked connection until it is closed; the exit
// timer runs only while nothing is busy. Keep-alive connections idle for
// half the exit time are closed, so that none is left in clients' pools
// when the process exits. Closing an idle unix connection never loses a
// request (keepalive.go): the reading side is shut first, so a request
// that got in is served with "Connection: close" and a later one fails
// with EPIPE before anything was delivered, which clients retry on a new
// connection, reaching this process or, once it has exited, the next
// activation (systemd holds the socket meanwhile). At exit the server
// retires idle connections that way, unlinks a socket it created and
// keeps accepting for a short grace (connections already queued are
// served), then stops accepting, finishes every request in flight and
// waits for open streams to end.
package server
