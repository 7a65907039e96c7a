// Package errdefs owns skiff's error classes: the sentinels callers test with
// errors.Is, each with the stable name the native API sends it by
// (Sentinels, Lookup, SentinelOf); the one error type that pairs a message
// of its own with a class and the errors it stands for (As, Reword,
// WithClass); and the single mapping from a class to a process exit code and
// to an HTTP status. It must not import any other skiff package.
package errdefs
