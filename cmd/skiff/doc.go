// Command skiff is a rootless, daemonless container engine with a
// Docker-compatible command line. main wires the cobra root and maps errors
// to exit codes through errdefs; the commands live in the subpackages.
package main
