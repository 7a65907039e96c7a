package server

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Hijack takes the request's connection over for a raw stream (attach,
// exec start). When the client asked to upgrade (Connection: Upgrade,
// Upgrade: tcp) it answers "HTTP/1.1 101 UPGRADED" with Connection: Upgrade
// and Upgrade: tcp, otherwise "200 OK"; either way with Content-Type
// contentType and the headers already set on w. Bytes the client sent
// after the request are in the returned reader. The connection counts as
// an open stream until it is closed; the caller must close it. It supports
// CloseWrite when the transport does, for half-closing the output.
func Hijack(w http.ResponseWriter, r *http.Request, contentType string) (net.Conn, *bufio.ReadWriter, error) {
	upgrade := httpguts.HeaderValuesContainsToken(r.Header["Connection"], "upgrade") &&
		strings.EqualFold(r.Header.Get("Upgrade"), "tcp")
	hdr := w.Header().Clone()
	hdr.Del("Content-Length")
	hdr.Set("Content-Type", contentType)
	if upgrade {
		hdr.Set("Connection", "Upgrade")
		hdr.Set("Upgrade", "tcp")
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("hijacking the connection: %w", err)
	}
	// The server's header and idle deadlines no longer apply.
	_ = conn.SetDeadline(time.Time{})
	status := "HTTP/1.1 200 OK\r\n"
	if upgrade {
		status = "HTTP/1.1 101 UPGRADED\r\n"
	}
	_, _ = rw.WriteString(status)
	if err := hdr.Write(rw); err == nil {
		_, err = rw.WriteString("\r\n")
	}
	if err := rw.Flush(); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("writing the upgrade response: %w", err)
	}
	return conn, rw, nil
}
