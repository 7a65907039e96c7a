// Package dockerinfo shapes the engine's Info and Version as Docker's
// GET /info and GET /version answers, in Docker's own types
// (github.com/docker/docker/api/types/system.Info and types.Version). It is
// the one place those shapes are built: the Docker API serves them and
// `skiff info --format` / `skiff version --format` template them, so a
// Docker user's `{{.ServerVersion}}` means the same in both. It holds pure
// conversions: no I/O, no engine calls.
package dockerinfo
