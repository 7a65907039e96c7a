// Package volumes is `skiff volume …`: thin commands that turn flags into
// pkg/engine volume options and print the reports. It owns no volume
// logic (libpod does) and touches no other command group.
package volumes
