package server

import (
	"errors"
	"net"
	"sync"
)

// hijackedConn reports its Close to the idle tracker, once.
type hijackedConn struct {
	net.Conn
	once    sync.Once
	onClose func()
}

func newHijackedConn(c net.Conn, onClose func()) *hijackedConn {
	return &hijackedConn{Conn: c, onClose: onClose}
}

func (c *hijackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.onClose)
	return err
}

// CloseWrite half-closes the connection (attach and exec end their output
// this way) when the transport supports it.
func (c *hijackedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.New("the connection cannot be half-closed")
}

// CloseRead shuts the reading side when the transport supports it.
func (c *hijackedConn) CloseRead() error {
	if cr, ok := c.Conn.(interface{ CloseRead() error }); ok {
		return cr.CloseRead()
	}
	return errors.New("the connection cannot be half-closed")
}

// Unwrap returns the underlying connection.
func (c *hijackedConn) Unwrap() net.Conn { return c.Conn }
