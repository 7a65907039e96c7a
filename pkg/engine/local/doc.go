// Package local implements pkg/engine in process over libpod: it turns the
// engine's option structs into libpod calls and libpod's containers into
// the engine's Docker-shaped reports. It must not import cobra or cmd/,
// and it holds no engine logic that a remote server could not reach
// through the same interface.
package local
