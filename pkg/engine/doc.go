// Package engine defines the interface every skiff command calls, split per
// resource (containers, images, system), and the option and report types
// that go on the wire unchanged between the remote client and the API
// server. It owns no behaviour: pkg/engine/local implements it over libpod,
// and a remote implementation will implement it over HTTP. It must not
// import libpod, cobra or anything under cmd/.
package engine
