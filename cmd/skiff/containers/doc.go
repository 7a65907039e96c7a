// Package containers holds skiff's container commands (run, create, start,
// stop, kill, restart, rm, ps, logs, exec, attach, wait, inspect, rename,
// prune, exists). Each is a constructor: flags into an engine options
// struct, one engine call, then printing. No engine logic lives here, so
// every command works the same against the local and the remote engine.
//
// What they print follows Docker's CLI: ps --format json has docker ps's
// fields (short IDs unless --no-trunc), --format table alone is the
// default table, inspect prints what it found ([] when nothing) before
// naming what it did not, and attach, as Docker's CLI, refuses a container
// that is not running (the engine's attach also takes a created one, for
// clients that attach before they start).
package containers
