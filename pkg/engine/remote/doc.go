// Package remote implements the engine interface over skiff's native API
// with pkg/client, so every command runs against a service exactly as it
// runs locally: same options, same reports, same error classes and exit
// codes. It owns only the mapping from engine methods to routes; the wire
// format is pkg/client/wire's. It must not import libpod, the local engine
// or cobra.
package remote
