package filter

import (
	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/filters"
)

// Event is what an event filter looks at.
type Event struct {
	Type, Action, Scope string
	// ActorID and Attributes describe the object; Attributes carry its
	// name (and a container's image and labels).
	ActorID    string
	Attributes map[string]string
}

// Events is Docker's event filter (moby's daemon/events/filter.go): each
// key's values are alternatives, keys must all match, every label filter
// must match an attribute; container, volume, network, daemon, plugin
// and other object keys match the actor's ID or name (also as a prefix);
// image matches the image's ID or name, with or without its tag. Docker
// accepts any key, and so does this: a key it knows nothing of filters
// nothing.
type Events struct {
	args filters.Args
}

// NewEvents compiles the engine's filter map.
func NewEvents(m map[string][]string) *Events {
	return &Events{args: Args(m)}
}

// objectKeys are the event types whose key filters by actor ID or name.
var objectKeys = []string{"daemon", "container", "plugin", "volume", "network", "node", "service", "secret", "config"}

// Include reports whether ev passes the filters.
func (f *Events) Include(ev Event) bool {
	a := f.args
	if a.Len() == 0 {
		return true
	}
	if !f.matchAction(ev.Action) || !a.ExactMatch("type", ev.Type) {
		return false
	}
	if a.Contains("scope") && !a.ExactMatch("scope", ev.Scope) {
		return false
	}
	for _, key := range objectKeys {
		if !a.FuzzyMatch(key, ev.ActorID) && !a.FuzzyMatch(key, ev.Attributes["name"]) {
			return false
		}
	}
	if !f.matchImage(ev) {
		return false
	}
	return !a.Contains("label") || a.MatchKVList("label", ev.Attributes)
}

// matchAction is exact, except that exec_create, exec_start and
// health_status also match actions they begin ("exec_start: sh").
func (f *Events) matchAction(action string) bool {
	for _, v := range f.args.Get("event") {
		switch v {
		case "health_status", "exec_create", "exec_start":
			return f.args.FuzzyMatch("event", action)
		}
	}
	return f.args.ExactMatch("event", action)
}

func (f *Events) matchImage(ev Event) bool {
	nameAttr := "image"
	if ev.Type == "image" {
		nameAttr = "name"
	}
	name := ev.Attributes[nameAttr]
	a := f.args
	return a.ExactMatch("image", ev.ActorID) || a.ExactMatch("image", name) ||
		a.ExactMatch("image", stripTag(ev.ActorID)) || a.ExactMatch("image", stripTag(name))
}

// stripTag is an image name without its tag, in Docker's familiar form.
func stripTag(image string) string {
	ref, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return image
	}
	return reference.FamiliarName(ref)
}
