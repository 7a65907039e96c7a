// Package apicompat is the root of skiff's HTTP APIs, served by
// `skiff system service`: server/ (listeners, TLS, socket activation,
// middleware, idle exit), docker/ (the Docker Engine API, translated to the
// engine interface) and native/ (skiff's own API, which pkg/client and
// pkg/engine/remote speak). None of them holds engine logic: every handler
// ends in one call of the engine interface.
package apicompat
