// Package config resolves skiff's configuration: built-in defaults for root
// and rootless users (XDG locations), then skiff.conf (TOML: [storage] and
// [engine] tables), then command-line overrides applied by the caller. It
// reads files only; it must not create directories or touch the store.
package config
