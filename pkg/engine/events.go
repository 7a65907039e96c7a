package engine

import (
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// EventsOptions selects events, as Docker's GET /events does: recorded
// events are replayed only when Since or Until is set. Filters are
// Docker's event filters (type, event, container, image, label, …; any
// key is accepted, as Docker accepts it).
type EventsOptions struct {
	Since   time.Time           `json:"since,omitempty"`
	Until   time.Time           `json:"until,omitempty"`
	Filters map[string][]string `json:"filters,omitempty"`
	// Stream keeps sending new events until Until or cancellation.
	Stream bool `json:"stream,omitempty"`
}

// Validate refuses an until before since, in Docker's words. Events
// calls it; the Docker API calls it too before its 200 goes out.
func (o EventsOptions) Validate() error {
	if !o.Until.IsZero() && o.Until.Before(o.Since) {
		return errdefs.As(errdefs.ErrInvalidArg, "`since` time ("+o.Since.Format(time.RFC3339Nano)+
			") cannot be after `until` time ("+o.Until.Format(time.RFC3339Nano)+")")
	}
	return nil
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
