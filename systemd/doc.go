// Package systemd is skiff's side of the systemd protocols: the sockets a
// socket unit hands over (LISTEN_FDS, through go-systemd's activation
// package) and readiness notification (sd_notify over NOTIFY_SOCKET).
// Later issues add unit generation here.
//
// It owns only the protocols. It must not decide what is served on the
// sockets or whether a socket is acceptable (api-compat/server does), and
// must not import the engine, libpod or CLI code.
package systemd
