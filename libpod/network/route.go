package network

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"net"
	"os"
	"strings"
)

// defaultGateway is the IPv4 gateway of the host's default route, read
// from this thread's /proc/thread-self/net/route (skiff runs in the host's
// network namespace). pasta gives the container the same gateway. Not
// /proc/net/route: that is the main thread's view, and creating a network
// namespace on a locked thread that then exits leaves the main thread,
// which Go never lets exit, wedged in that namespace in a long-lived
// service.
func defaultGateway() net.IP {
	f, err := os.Open("/proc/thread-self/net/route")
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		// Iface Destination Gateway Flags …; destination 0 is the default.
		if len(fields) < 3 || fields[1] != "00000000" {
			continue
		}
		raw, err := hex.DecodeString(fields[2])
		if err != nil || len(raw) != 4 {
			continue
		}
		ip := make(net.IP, 4)
		binary.BigEndian.PutUint32(ip, binary.LittleEndian.Uint32(raw))
		if !ip.IsUnspecified() {
			return ip
		}
	}
	return nil
}
