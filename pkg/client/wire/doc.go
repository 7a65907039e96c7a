// Package wire is what both ends of skiff's native API agree on beyond the
// engine's own option and report types: the frames of a hijacked stream, the
// JSON form of an error (class, sentinel and container exit code), and the
// small envelopes the routes use (bulk requests, bulk reports with errors).
//
// It is shared by api-compat/native (the server side) and pkg/client (the
// client side) so that nothing is defined twice. It must not import either of
// them, net/http handlers, libpod or cobra.
//
// # Streams
//
// A stream route is an HTTP request carrying its options as a JSON body and
// the headers "Connection: Upgrade" and "Upgrade: tcp". The server answers
// "101 UPGRADED" (errors found before the stream starts, such as a malformed
// body, are ordinary JSON error responses instead) and both sides then speak
// frames on the raw connection:
//
//	[type: 1 byte][length: uint32, big endian][payload: length bytes]
//
// Client to server: FrameStdin (raw bytes), FrameStdinEOF (empty: the
// client's stdin ended; the server closes the container's stdin),
// FrameResize (JSON engine.TerminalSize), FrameSignal (the signal number
// in decimal, forwarded to the container). The client sends stdin frames only
// when it sent the header "Skiff-Stdin: 1"; without it the engine gets no
// stdin at all, so a remote `run` without -i never swallows the caller's
// input.
//
// Server to client: FrameStdout and FrameStderr (raw bytes), FrameEvent
// (JSON engine.Event, for the events route), and exactly one FrameResult as
// the last frame (JSON Result: the method's report and/or its error). The
// server closes the connection after the result; the client closes it to
// cancel (the server cancels the engine call when its reads fail).
//
// Payloads are at most MaxPayload bytes; a longer length is a protocol error.
package wire
