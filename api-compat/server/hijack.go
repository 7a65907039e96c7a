package server

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
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
	conn, rw, respond, err := HijackLater(w, r, contentType)
	if err != nil {
		return nil, nil, err
	}
	if err := respond(); err != nil {
		return nil, nil, err
	}
	return conn, rw, nil
}

// HijackLater takes the connection over like Hijack but leaves the status
// line unsent until respond is called: an attach answers only once it is
// really attached, because Docker clients start the container as soon as
// they read the answer, and output before that point would be lost.
func HijackLater(w http.ResponseWriter, r *http.Request, contentType string) (net.Conn, *bufio.ReadWriter, func() error, error) {
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
		return nil, nil, nil, fmt.Errorf("hijacking the connection: %w", err)
	}
	// The server's header and idle deadlines no longer apply.
	_ = conn.SetDeadline(time.Time{})
	var once sync.Once
	var respErr error
	respond := func() error {
		once.Do(func() {
			status := "HTTP/1.1 200 OK\r\n"
			if upgrade {
				status = "HTTP/1.1 101 UPGRADED\r\n"
			}
			_, _ = rw.WriteString(status)
			if err := hdr.Write(rw); err == nil {
				_, _ = rw.WriteString("\r\n")
			}
			if err := rw.Flush(); err != nil {
				conn.Close()
				respErr = fmt.Errorf("writing the upgrade response: %w", err)
			}
		})
		return respErr
	}
	return conn, rw, respond, nil
}
