// Package containers holds skiff's container commands (run, create, start,
// stop, kill, restart, rm, ps, logs, exec, attach, wait, inspect, rename,
// prune, exists). Each is a constructor: flags into an engine options
// struct, one engine call, then printing. No engine logic lives here, so
// every command works the same against the local and the remote engine.
package containers
