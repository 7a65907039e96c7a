// Command peeraddr is the e2e suite's probe of the address a connection
// comes from (sourceaddr_test.go). Busybox, the only userland in the test
// image, has no UDP listener and no UDP client, so the suite builds this
// static program and bind-mounts it into the container.
//
//	peeraddr serve PORT          answer every TCP connection's first line
//	                             and every UDP datagram on PORT (all
//	                             addresses) with the peer's IP address and
//	                             a newline
//	peeraddr ask tcp|udp ADDR    send a line to ADDR (over a connection, or
//	                             as one datagram), print the answer; exit 1
//	                             on no answer
//
// The client speaks first, as in HTTP: Debian 12's pasta (0.0~git20230309)
// completes a forwarded connection's handshake with the container only
// once the client sends something, so a server that speaks first is not
// heard until then. That is pasta's to fix; this probe checks addresses.
//
// It must stay free of cgo, so that it runs in an image without a libc.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// askTimeout bounds one attempt of ask; the suite retries on failure, since
// a published port may accept before the container's server listens.
const askTimeout = 3 * time.Second

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "peeraddr: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "serve":
		return serve(args[1])
	case len(args) == 3 && args[0] == "ask":
		answer, err := ask(args[1], args[2])
		if err != nil {
			return err
		}
		fmt.Println(answer)
		return nil
	}
	return errors.New("usage: peeraddr serve PORT | peeraddr ask tcp|udp HOST:PORT")
}

// serve answers on TCP and UDP until killed.
func serve(port string) error {
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		return fmt.Errorf("listening on tcp port %s: %w", port, err)
	}
	pc, err := net.ListenPacket("udp", ":"+port)
	if err != nil {
		return fmt.Errorf("listening on udp port %s: %w", port, err)
	}
	errc := make(chan error, 2)
	go func() { errc <- serveUDP(pc) }()
	go func() { errc <- serveTCP(ln) }()
	fmt.Println("peeraddr: serving on tcp and udp port", port)
	return <-errc
}

func serveTCP(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return fmt.Errorf("accepting: %w", err)
		}
		go answerTCP(c)
	}
}

// answerTCP answers the first line of a connection with the peer's address.
func answerTCP(c net.Conn) {
	defer c.Close()
	fmt.Println("peeraddr: tcp from", c.RemoteAddr())
	_ = c.SetDeadline(time.Now().Add(askTimeout))
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
		fmt.Println("peeraddr: reading from", c.RemoteAddr(), err)
		return
	}
	_, _ = fmt.Fprintln(c, c.RemoteAddr().(*net.TCPAddr).IP)
}

func serveUDP(pc net.PacketConn) error {
	buf := make([]byte, 2048)
	for {
		_, from, err := pc.ReadFrom(buf)
		if err != nil {
			return fmt.Errorf("reading a datagram: %w", err)
		}
		fmt.Println("peeraddr: udp from", from)
		if _, err := pc.WriteTo([]byte(from.(*net.UDPAddr).IP.String()+"\n"), from); err != nil {
			fmt.Println("peeraddr: answering", from, err)
		}
	}
}

// ask returns the first line the server at addr answers.
func ask(proto, addr string) (string, error) {
	if proto != "tcp" && proto != "udp" {
		return "", fmt.Errorf("unknown protocol %q (want tcp or udp)", proto)
	}
	c, err := net.DialTimeout(proto, addr, askTimeout)
	if err != nil {
		return "", fmt.Errorf("connecting to %s/%s: %w", addr, proto, err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(askTimeout)); err != nil {
		return "", err
	}
	if _, err := c.Write([]byte("?\n")); err != nil {
		return "", fmt.Errorf("sending to %s/%s: %w", addr, proto, err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("reading the answer of %s/%s: %w", addr, proto, err)
	}
	return strings.TrimSpace(line), nil
}
