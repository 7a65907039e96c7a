// Package systemd will hold skiff's systemd integration: sd_notify for
// containers run under a unit, socket activation of `skiff system service`,
// and unit generation. Nothing lives here yet; it arrives with a later issue.
package systemd
