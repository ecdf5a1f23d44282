// Package reread keeps the windows of a source whose postings could not all
// be read, so that they are read again from the API. The transformer marks
// a window when it sets records of it aside (a required field missing, a
// page unreadable); the extractor's next scheduled run starts back at the
// earliest marked window; the transformer clears a mark once a batch
// covering its window is read whole. A drifted answer then costs
// freshness, never the postings it held. A mark the extractor has re-read
// for longer than its limit is given up with an alert: the records stay in
// quarantine, named in the alert, for an operator.
package reread

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/lake"
	"jobpulse/pkg/source"
)

// Mark is one window to read again.
type Mark struct {
	Source source.Source `json:"source"`
	RunID  string        `json:"run_id"`
	From   time.Time     `json:"from"`
	To     time.Time     `json:"to"`
	// SetAside counts the records of the window set aside, Reason gives
	// the first one's reason.
	SetAside int    `json:"set_aside"`
	Reason   string `json:"reason"`
	// Marked is when the window was first marked: a repeat of the same
	// window keeps it, so the limit counts from the first failure.
	Marked time.Time `json:"marked"`
}

// Store is what marks need of the lake.
type Store interface {
	Put(ctx context.Context, name, contentType string, data []byte) error
	Get(ctx context.Context, name string) ([]byte, error)
	List(ctx context.Context, prefix string) ([]string, error)
	Delete(ctx context.Context, name string) error
}

// Add marks m's window. Marking a window already marked keeps its first
// Marked time.
func Add(ctx context.Context, s Store, m Mark) error {
	name := lake.RereadName(m.Source, m.RunID)
	var old Mark
	if b, err := s.Get(ctx, name); err == nil && json.Unmarshal(b, &old) == nil && !old.Marked.IsZero() {
		m.Marked = old.Marked
	} else if err != nil && !errors.Is(err, lake.ErrNotFound) {
		return fmt.Errorf("reread: mark %s: %w", m.RunID, err)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("reread: mark %s: %w", m.RunID, err)
	}
	if err := s.Put(ctx, name, "application/json", data); err != nil {
		return fmt.Errorf("reread: mark %s: %w", m.RunID, err)
	}
	return nil
}

// Pending lists the source's marks, earliest window first.
func Pending(ctx context.Context, s Store, src source.Source) ([]Mark, error) {
	names, err := s.List(ctx, lake.RereadPrefix(src))
	if err != nil {
		return nil, fmt.Errorf("reread: list %s: %w", src, err)
	}
	var out []Mark
	for _, name := range names {
		b, err := s.Get(ctx, name)
		if errors.Is(err, lake.ErrNotFound) {
			continue // cleared meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("reread: %w", err)
		}
		var m Mark
		if err := json.Unmarshal(b, &m); err != nil || m.From.IsZero() || !m.From.Before(m.To) {
			return nil, fmt.Errorf("reread: %s is not a window mark (%v)", name, err)
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Mark) int {
		return cmp.Or(a.From.Compare(b.From), strings.Compare(a.RunID, b.RunID))
	})
	return out, nil
}

// Clear removes the source's marks whose windows lie within from..to (a
// batch over that window was read whole) and returns them.
func Clear(ctx context.Context, s Store, src source.Source, from, to time.Time) ([]Mark, error) {
	marks, err := Pending(ctx, s, src)
	if err != nil {
		return nil, err
	}
	var cleared []Mark
	for _, m := range marks {
		if m.From.Before(from) || m.To.After(to) {
			continue
		}
		if err := Remove(ctx, s, m); err != nil {
			return cleared, err
		}
		cleared = append(cleared, m)
	}
	return cleared, nil
}

// Remove deletes one mark.
func Remove(ctx context.Context, s Store, m Mark) error {
	if err := s.Delete(ctx, lake.RereadName(m.Source, m.RunID)); err != nil {
		return fmt.Errorf("reread: clear %s: %w", m.RunID, err)
	}
	return nil
}
