// Package report owns how the CLI prints lists and objects: the `--format`
// option as Docker and Podman understand it (`json`, a Go template, `table`
// with a template), the template functions Docker's CLI offers, table
// headers and column alignment, and the small text helpers those outputs
// use (HumanDuration, TruncateID, ContainerStatus).
//
// It knows nothing about containers or images: callers pass the objects to
// print (usually context types whose fields and methods the templates name)
// and the header names for their fields. It must not import the engine,
// libpod or cobra, and it never exits the process: template mistakes come
// back as errors wrapped with errdefs.ErrInvalidArg (exit code 125).
package report
