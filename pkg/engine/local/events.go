package local

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/skiffcontainers/skiff/libpod/state"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// eventPoll is how often a streaming reader looks for new events; events
// are written by whichever skiff process acts, so the log is the meeting
// point.
const eventPoll = 100 * time.Millisecond

func (e *system) Events(ctx context.Context, opts engine.EventsOptions, out func(engine.Event) error) error {
	f, match, err := eventFilter(opts)
	if err != nil {
		return err
	}
	for {
		evs, err := e.rt.Events(ctx, f)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			f.AfterSeq = ev.Seq
			if !opts.Until.IsZero() && ev.Time.After(opts.Until) {
				return nil
			}
			if !match(ev) {
				continue
			}
			if err := out(toEvent(ev)); err != nil {
				return err
			}
		}
		if !opts.Stream || (!opts.Until.IsZero() && time.Now().After(opts.Until)) {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(eventPoll):
		}
	}
}

// eventFilter turns Docker's filters into a database query plus the checks
// the query cannot express (labels, images).
func eventFilter(opts engine.EventsOptions) (state.EventFilter, func(state.Event) bool, error) {
	f := state.EventFilter{Since: opts.Since}
	var labels, images, containers []string
	for k, vs := range opts.Filters {
		switch k {
		case "type":
			f.Types = append(f.Types, vs...)
		case "event", "action":
			f.Actions = append(f.Actions, vs...)
		case "container":
			containers = append(containers, vs...)
		case "image":
			images = append(images, vs...)
		case "label":
			labels = append(labels, vs...)
		default:
			return f, nil, fmt.Errorf("invalid filter %q: %w", k, errdefs.ErrInvalidArg)
		}
	}
	match := func(ev state.Event) bool {
		return anyOf(containers, func(c string) bool {
			return c == ev.Name || c == ev.ID || (len(c) >= 3 && len(c) <= len(ev.ID) && ev.ID[:len(c)] == c)
		}) && anyOf(images, func(i string) bool {
			return ev.Attributes["image"] == i || ev.Attributes["image"] == "localhost/"+i+":latest" || ev.Attributes["image"] == i+":latest"
		}) && allOf(labels, func(l string) bool {
			k, v, hasVal := strings.Cut(l, "=")
			got, ok := ev.Attributes[k]
			return ok && (!hasVal || got == v)
		})
	}
	return f, match, nil
}

func anyOf(vs []string, p func(string) bool) bool {
	if len(vs) == 0 {
		return true
	}
	for _, v := range vs {
		if p(v) {
			return true
		}
	}
	return false
}

func allOf(vs []string, p func(string) bool) bool {
	for _, v := range vs {
		if !p(v) {
			return false
		}
	}
	return true
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
