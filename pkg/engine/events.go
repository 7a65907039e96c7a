package engine

import "time"

// EventsOptions selects events. Filters are Docker's: type, event/action,
// container, image, label.
type EventsOptions struct {
	Since   time.Time           `json:"since,omitempty"`
	Until   time.Time           `json:"until,omitempty"`
	Filters map[string][]string `json:"filters,omitempty"`
	// Stream keeps sending new events until Until or cancellation.
	Stream bool `json:"stream,omitempty"`
}

// Event is one recorded event in Docker's /events shape.
type Event struct {
	Type   string     `json:"Type"`
	Action string     `json:"Action"`
	Actor  EventActor `json:"Actor"`
	Scope  string     `json:"scope"`
	// Time and TimeNano are the event's time in seconds and nanoseconds.
	Time     int64 `json:"time"`
	TimeNano int64 `json:"timeNano"`
	// Status, ID and From are the pre-1.22 fields clients still read.
	Status string `json:"status,omitempty"`
	ID     string `json:"id,omitempty"`
	From   string `json:"from,omitempty"`
}

// EventActor is the object an event is about.
type EventActor struct {
	ID         string            `json:"ID"`
	Attributes map[string]string `json:"Attributes"`
}
