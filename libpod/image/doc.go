// Package image owns skiff's local images: name resolution, import, list,
// inspect and removal, over containers/storage and containers/common's
// libimage. It must not know about containers' runtime state or the OCI
// runtime; whether an image is in use is storage's answer.
package image
