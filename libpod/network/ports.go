package network

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/containers/common/libnetwork/types"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// unprivilegedPortStart is the sysctl below which binding needs privilege.
const unprivilegedPortStart = "/proc/sys/net/ipv4/ip_unprivileged_port_start"

// CheckPorts makes sure every host port can be bound now, so a taken or
// privileged port fails before anything is set up, in one line naming
// it. Rootless, ports below net.ipv4.ip_unprivileged_port_start are
// refused with the sysctl that allows them. Host port 0 is not checked:
// AssignPorts picks a free one.
func CheckPorts(ports []types.PortMapping, rootless bool) error {
	start := 1024
	if data, err := os.ReadFile(unprivilegedPortStart); err == nil {
		if v, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			start = v
		}
	}
	for _, p := range ports {
		if p.HostPort == 0 {
			continue
		}
		for i := uint16(0); i < max(p.Range, 1); i++ {
			hp := p.HostPort + i
			for _, proto := range strings.Split(p.Protocol, ",") {
				if rootless && int(hp) < start {
					return errdefs.WithClass(errdefs.ClassInvalid, fmt.Sprintf(
						"cannot publish port %d/%s: rootless containers cannot use ports below %d (net.ipv4.ip_unprivileged_port_start); allow it with `sysctl -w net.ipv4.ip_unprivileged_port_start=%d` as root",
						hp, proto, start, hp))
				}
				if err := probe(p.HostIP, hp, proto); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ReservePorts binds every host port of ports and returns the bound
// sockets, for conmon to hold while the container lives. A bridge
// network's published port is a firewall rule that holds no socket, so
// without this a second container (of any store, or any other program)
// could take the same port and one of them would silently lose its
// traffic; Podman holds its ports the same way. pasta and slirp4netns bind
// their ports themselves.
func ReservePorts(ports []types.PortMapping) ([]*os.File, error) {
	var files []*os.File
	fail := func(err error) ([]*os.File, error) {
		CloseFiles(files)
		return nil, err
	}
	for _, p := range ports {
		for i := uint16(0); i < max(p.Range, 1); i++ {
			for _, proto := range strings.Split(p.Protocol, ",") {
				f, err := reserve(p.HostIP, p.HostPort+i, proto)
				if err != nil {
					return fail(err)
				}
				if f != nil {
					files = append(files, f)
				}
			}
		}
	}
	return files, nil
}

// CloseFiles closes what ReservePorts returned.
func CloseFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// reserve binds one port and returns the socket as a file (a duplicate:
// the listener itself is closed here).
func reserve(hostIP string, port uint16, proto string) (*os.File, error) {
	addr := net.JoinHostPort(hostIP, strconv.Itoa(int(port)))
	var f *os.File
	var err error
	switch proto {
	case "udp":
		var c net.PacketConn
		if c, err = net.ListenPacket("udp", addr); err == nil {
			f, err = c.(*net.UDPConn).File()
			c.Close()
		}
	case "tcp", "":
		var l net.Listener
		if l, err = net.Listen("tcp", addr); err == nil {
			f, err = l.(*net.TCPListener).File()
			l.Close()
		}
	default:
		return nil, nil
	}
	if err != nil {
		return nil, portError(addr, proto, err)
	}
	return f, nil
}

// probe binds the port and lets it go at once.
func probe(hostIP string, port uint16, proto string) error {
	addr := net.JoinHostPort(hostIP, strconv.Itoa(int(port)))
	var err error
	switch proto {
	case "udp":
		var c net.PacketConn
		if c, err = net.ListenPacket("udp", addr); err == nil {
			c.Close()
		}
	default:
		var l net.Listener
		if l, err = net.Listen("tcp", addr); err == nil {
			l.Close()
		}
	}
	if err == nil {
		return nil
	}
	return portError(addr, proto, err)
}

// portError says in one line why addr/proto cannot be published.
func portError(addr, proto string, err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return errdefs.WithClass(errdefs.ClassConflict, fmt.Sprintf("cannot publish port %s/%s: address already in use", addr, proto))
	case errors.Is(err, syscall.EACCES):
		return errdefs.WithClass(errdefs.ClassForbidden, fmt.Sprintf("cannot publish port %s/%s: permission denied", addr, proto))
	}
	return fmt.Errorf("cannot publish port %s/%s: %w", addr, proto, err)
}

// AssignPorts gives each mapping with host port 0 a free port of the
// host, as the kernel picks an ephemeral one (Docker's -P and -p PORT).
func AssignPorts(ports []types.PortMapping) ([]types.PortMapping, error) {
	out := append([]types.PortMapping(nil), ports...)
	for i := range out {
		if out[i].HostPort != 0 {
			continue
		}
		port, err := freePort(out[i].HostIP, out[i].Protocol, max(out[i].Range, 1))
		if err != nil {
			return nil, fmt.Errorf("picking a host port for %d/%s: %w", out[i].ContainerPort, out[i].Protocol, err)
		}
		out[i].HostPort = port
	}
	return out, nil
}

// freePort asks the kernel for a free port (for a range, the first of a
// free run) usable for every protocol of proto.
func freePort(hostIP, proto string, n uint16) (uint16, error) {
	for attempt := 0; attempt < 20; attempt++ {
		l, err := net.Listen("tcp", net.JoinHostPort(hostIP, "0"))
		if err != nil {
			return 0, err
		}
		port := uint16(l.Addr().(*net.TCPAddr).Port)
		l.Close()
		ok := uint32(port)+uint32(n)-1 <= 65535
		for i := uint16(0); ok && i < n; i++ {
			for _, p := range strings.Split(proto, ",") {
				if probe(hostIP, port+i, p) != nil {
					ok = false
				}
			}
		}
		if ok {
			return port, nil
		}
	}
	return 0, errors.New("no free port found")
}
