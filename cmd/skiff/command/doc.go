// Package command holds what skiff's cobra commands share: the global
// options, the lazily opened engine, terminal handling and the helpers that
// turn reports into Docker-style output. It holds no engine logic.
package command
