// Package registryauth owns where registry credentials live and the
// login/logout commands' work: the default auth.json path for root and
// rootless users, and reading one registry's credentials for a client that
// sends them to a service. It wraps containers/image's pkg/docker/config and
// containers/common's pkg/auth; it must not know about storage, images or
// the engine.
package registryauth
