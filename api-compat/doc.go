// Package apicompat will hold skiff's HTTP API server: the Docker Engine API
// translation layer and skiff's native API, both routed to the local engine.
// Nothing lives here yet; it arrives with the next issue.
package apicompat
