// Package logs reads container logs in the k8s-file format that conmon
// writes: one record per line,
//
//	<RFC3339Nano time, 9 fraction digits, numeric offset> <stdout|stderr> <P|F> <text>
//
// where F ends a line and P is a fragment continued by the stream's next
// record. It owns parsing, tail, since/until filtering, following a growing
// (and rotated) file, and formatting lines for display.
//
// It only reads log files; it must not start, signal or otherwise know
// about conmon, runc or the state database. Whether a container is still
// running reaches it only through the done callback of Read.
package logs
