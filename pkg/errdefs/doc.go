// Package errdefs owns skiff's error classes: the sentinels callers test with
// errors.Is, and the single mapping from a class to a process exit code and
// to an HTTP status. It must not import any other skiff package.
package errdefs
