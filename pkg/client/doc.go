// Package client is the typed HTTP client of skiff's native API (the
// routes of api-compat/native under /skiff/v1). It knows the transports
// (unix sockets, TCP with TLS, ssh through the system ssh client), the
// service URI syntax, the framed stream protocol and how to turn an answer
// back into the error the service had, so errors.Is and exit codes work
// remotely exactly as locally.
//
// Its zero value talks to the default local service socket. It speaks
// bytes and JSON only: pkg/engine/remote turns its calls into the engine
// interface. It must not import libpod, the local engine, cobra or cmd/.
package client
