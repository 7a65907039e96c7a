package local

import (
	"context"
	"time"

	"github.com/skiffcontainers/skiff/libpod/filter"
	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// eventPoll is how often a streaming reader looks for new events; events
// are written by whichever skiff process acts, so the log is the meeting
// point.
const eventPoll = 100 * time.Millisecond

// Events follows Docker's rule (moby's GET /events): recorded events are
// replayed only when since or until is given (until alone replays the
// whole log up to it); then new events stream until until, or not at all
// when until has passed. Filters are Docker's event filters.
func (e *system) Events(ctx context.Context, opts engine.EventsOptions, out func(engine.Event) error) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	match := filter.NewEvents(opts.Filters)
	q := state.EventFilter{Since: opts.Since, Until: opts.Until}
	stream := opts.Stream && (opts.Until.IsZero() || opts.Until.After(time.Now()))
	if opts.Since.IsZero() && opts.Until.IsZero() {
		last, err := e.rt.LastEventSeq(ctx)
		if err != nil {
			return err
		}
		q.AfterSeq = last
	}
	for {
		evs, err := e.rt.Events(ctx, q)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			q.AfterSeq = ev.Seq
			if !match.Include(filter.Event{Type: ev.Type, Action: ev.Action, Scope: "local", ActorID: ev.ID, Attributes: ev.Attributes}) {
				continue
			}
			if err := out(toEvent(ev)); err != nil {
				return err
			}
		}
		if !stream || (!opts.Until.IsZero() && time.Now().After(opts.Until)) {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(eventPoll):
		}
	}
}

func toEvent(ev state.Event) engine.Event {
	attrs := ev.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	return engine.Event{
		Type: ev.Type, Action: ev.Action, Scope: "local",
		Actor: engine.EventActor{ID: ev.ID, Attributes: attrs},
		Time:  ev.Time.Unix(), TimeNano: ev.Time.UnixNano(),
		Status: ev.Action, ID: ev.ID, From: attrs["image"],
	}
}

func (e *images) Tag(ctx context.Context, name string, opts engine.TagOptions) error {
	store, err := e.rt.Images()
	if err != nil {
		return err
	}
	ref := opts.Repo
	if opts.Tag != "" {
		ref += ":" + opts.Tag
	}
	return store.Tag(ctx, name, ref)
}
