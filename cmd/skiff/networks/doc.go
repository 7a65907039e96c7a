// Package networks holds skiff's network commands (network create, ls,
// inspect, rm, prune, connect, disconnect, exists), each a constructor
// over the engine's NetworkEngine, printing as Docker's CLI does. It owns
// flags and output only: what a network is and how containers join it is
// the engine's.
package networks
