// Package registryauth owns where registry credentials live and the
// login/logout commands' work: the default auth.json path for root and
// rootless users, and reading one registry's credentials for a client that
// sends them to a service. Login speaks Docker's words ("Login Succeeded";
// "Cannot perform an interactive login from a non TTY device" when it
// would have to ask for a password with no terminal). It wraps containers/image's pkg/docker/config and
// containers/common's pkg/auth; it must not know about storage, images or
// the engine.
package registryauth
