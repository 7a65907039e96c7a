package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event is one engine event (container create, start, die, ...). Seq is
// assigned by AddEvent and only grows, so a follower can poll with
// EventFilter.AfterSeq set to the last Seq it saw.
type Event struct {
	Seq        int64
	Time       time.Time
	Type       string // e.g. "container", "image"
	Action     string // e.g. "create", "start", "died"
	ID         string
	Name       string
	Attributes map[string]string
}

// EventFilter selects events. Zero fields match everything; list fields
// match any of their values.
type EventFilter struct {
	Since, Until time.Time
	AfterSeq     int64
	Types        []string
	Actions      []string
	IDs          []string
	Names        []string
	// Limit caps the number of events returned (0: no cap).
	Limit int
}

// EventsKept is how many of the newest events the database keeps; older
// ones are dropped as new ones come in, in batches of eventsPruneEvery.
// Docker's daemon keeps the last 256 in memory; a container's events carry
// its labels, so the bound is what keeps the table from growing forever.
const (
	EventsKept       = 1000
	eventsPruneEvery = 64
)

// AddEvent appends an event and returns its sequence number. A zero Time
// means now.
func (db *DB) AddEvent(ctx context.Context, ev Event) (int64, error) {
	return db.addEvent(ctx, ev, EventsKept)
}

func (db *DB) addEvent(ctx context.Context, ev Event, keep int64) (int64, error) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	attrs := []byte("{}")
	if len(ev.Attributes) > 0 {
		var err error
		if attrs, err = json.Marshal(ev.Attributes); err != nil {
			return 0, fmt.Errorf("encoding event attributes: %w", err)
		}
	}
	var seq int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.q.ExecContext(ctx,
			`INSERT INTO events (time, type, action, id, name, attributes) VALUES (?, ?, ?, ?, ?, ?)`,
			ev.Time.UnixNano(), ev.Type, ev.Action, ev.ID, ev.Name, string(attrs))
		if err != nil {
			return err
		}
		if seq, err = res.LastInsertId(); err != nil {
			return err
		}
		// Sequence numbers never repeat (AUTOINCREMENT), so every
		// eventsPruneEvery-th event drops those more than keep behind it.
		if seq%eventsPruneEvery == 0 && seq > keep {
			_, err = tx.q.ExecContext(ctx, `DELETE FROM events WHERE seq <= ?`, seq-keep)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("adding %s %s event: %w", ev.Type, ev.Action, err)
	}
	return seq, nil
}

// Events returns the events matching f, oldest first.
func (db *DB) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	q, args := eventQuery(f)
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var t int64
		var attrs string
		if err := rows.Scan(&ev.Seq, &t, &ev.Type, &ev.Action, &ev.ID, &ev.Name, &attrs); err != nil {
			return nil, fmt.Errorf("reading events: %w", err)
		}
		ev.Time = time.Unix(0, t)
		if attrs != "{}" {
			if err := json.Unmarshal([]byte(attrs), &ev.Attributes); err != nil {
				return nil, fmt.Errorf("decoding attributes of event %d: %w", ev.Seq, err)
			}
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading events: %w", err)
	}
	return out, nil
}

// LastEventSeq is the sequence number of the newest event (0 when there
// is none): a follower that wants only events to come starts after it.
func (db *DB) LastEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := db.sql.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("reading events: %w", err)
	}
	return seq, nil
}

// PruneEvents deletes events older than before and reports how many.
func (db *DB) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM events WHERE time < ?`, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("pruning events: %w", err)
	}
	return res.RowsAffected()
}

func eventQuery(f EventFilter) (string, []any) {
	var where []string
	var args []any
	if !f.Since.IsZero() {
		where, args = append(where, "time >= ?"), append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		where, args = append(where, "time <= ?"), append(args, f.Until.UnixNano())
	}
	if f.AfterSeq > 0 {
		where, args = append(where, "seq > ?"), append(args, f.AfterSeq)
	}
	for _, in := range []struct {
		col  string
		vals []string
	}{{"type", f.Types}, {"action", f.Actions}, {"id", f.IDs}, {"name", f.Names}} {
		if len(in.vals) == 0 {
			continue
		}
		where = append(where, in.col+" IN (?"+strings.Repeat(", ?", len(in.vals)-1)+")")
		for _, v := range in.vals {
			args = append(args, v)
		}
	}
	q := `SELECT seq, time, type, action, id, name, attributes FROM events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return q, args
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
