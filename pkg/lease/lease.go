// Package lease keeps a lease in the lake, so that at most one execution
// of a job works at a time whatever started it (the loader: two loads on
// the same BigQuery tables at once make BigQuery cancel one transaction).
// The lease is one object claimed with a generation precondition, renewed
// while held and given up at the end; an execution that dies leaves it to
// run out after its time to live.
package lease

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"jobpulse/pkg/lake"
)

// Store holds the lease object (the lake).
type Store interface {
	ReadJSON(ctx context.Context, name string, v any) (int64, error)
	WriteJSON(ctx context.Context, name string, generation int64, v any) error
}

// record is the lease object.
type record struct {
	Holder  string    `json:"holder"`
	Since   time.Time `json:"since"`
	Expires time.Time `json:"expires"`
}

// ErrHeld says another execution holds the lease.
var ErrHeld = errors.New("lease: held by another execution")

// ErrLost says the lease passed to another execution while held (its
// renewals failed for longer than its time to live).
var ErrLost = errors.New("lease: lost to another execution")

// HeldError names the execution holding the lease; it is ErrHeld.
type HeldError struct {
	Name, Holder string
	Until        time.Time
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("lease %s: held by execution %s until %s", e.Name, e.Holder, e.Until.UTC().Format(time.RFC3339))
}

func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// Lease is a lease this execution holds.
type Lease struct {
	store  Store
	name   string
	holder string
	ttl    time.Duration
	now    func() time.Time
	log    *slog.Logger
	since  time.Time
}

// maxTries bounds the read-decide-write rounds lost to other executions.
const maxTries = 3

// Acquire takes the lease called name for holder, for ttl: unless another
// holder's lease has not run out, which returns a *HeldError at once. now
// may be nil (time.Now), log nil.
func Acquire(ctx context.Context, store Store, name, holder string, ttl time.Duration, now func() time.Time, log *slog.Logger) (*Lease, error) {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if ttl <= 0 {
		return nil, fmt.Errorf("lease %s: time to live %s: must be positive", name, ttl)
	}
	l := &Lease{store: store, name: name, holder: holder, ttl: ttl, now: now, log: log}
	for range maxTries {
		var cur record
		gen, err := store.ReadJSON(ctx, name, &cur)
		switch {
		case errors.Is(err, lake.ErrNotFound):
			gen = 0
		case err != nil:
			return nil, fmt.Errorf("lease %s: %w", name, err)
		}
		t := now()
		if gen != 0 && cur.Holder != holder && t.Before(cur.Expires) {
			return nil, &HeldError{Name: name, Holder: cur.Holder, Until: cur.Expires}
		}
		l.since = t
		err = store.WriteJSON(ctx, name, gen, record{Holder: holder, Since: t, Expires: t.Add(ttl)})
		if errors.Is(err, lake.ErrConflict) {
			continue // another execution wrote it meanwhile: look again
		}
		if err != nil {
			return nil, fmt.Errorf("lease %s: %w", name, err)
		}
		if gen != 0 && cur.Holder != holder {
			log.Info("lease taken over after it ran out", "lease", name, "previous_holder", cur.Holder, "expired", cur.Expires)
		}
		return l, nil
	}
	return nil, fmt.Errorf("lease %s: %w (it changed %d times while being taken)", name, ErrHeld, maxTries)
}

// renew extends the lease by its time to live, if this execution still
// holds it.
func (l *Lease) renew(ctx context.Context) error {
	var cur record
	gen, err := l.store.ReadJSON(ctx, l.name, &cur)
	if err != nil {
		return fmt.Errorf("lease %s: renew: %w", l.name, err)
	}
	if cur.Holder != l.holder {
		return fmt.Errorf("lease %s: %w (now %s's)", l.name, ErrLost, cur.Holder)
	}
	t := l.now()
	if err := l.store.WriteJSON(ctx, l.name, gen, record{Holder: l.holder, Since: l.since, Expires: t.Add(l.ttl)}); err != nil {
		if errors.Is(err, lake.ErrConflict) {
			return fmt.Errorf("lease %s: %w", l.name, ErrLost)
		}
		return fmt.Errorf("lease %s: renew: %w", l.name, err)
	}
	return nil
}

// Hold renews the lease every third of its time to live until release is
// called, and returns a context that ends, with cause ErrLost, should the
// lease pass to another execution (then the work must stop: another holds
// the right to it). A renewal that fails for another reason is logged and
// tried again at the next tick. release stops the renewals and gives the
// lease up (it runs out at once), so the next execution need not wait.
func (l *Lease) Hold(ctx context.Context) (held context.Context, release func(context.Context) error) {
	held, cancel := context.WithCancelCause(ctx)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(l.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-held.Done():
				return
			case <-t.C:
			}
			err := l.renew(held)
			switch {
			case errors.Is(err, ErrLost):
				l.log.Error("lease lost: stopping", "lease", l.name, "error", err.Error())
				cancel(err)
				return
			case err != nil:
				l.log.Warn("lease not renewed; trying again", "lease", l.name, "error", err.Error())
			}
		}
	}()
	return held, func(ctx context.Context) error {
		close(stop)
		<-done
		defer cancel(nil)
		var cur record
		gen, err := l.store.ReadJSON(ctx, l.name, &cur)
		if err != nil {
			return fmt.Errorf("lease %s: release: %w", l.name, err)
		}
		if cur.Holder != l.holder {
			return nil // someone else's by now
		}
		t := l.now()
		if err := l.store.WriteJSON(ctx, l.name, gen, record{Holder: l.holder, Since: l.since, Expires: t}); err != nil && !errors.Is(err, lake.ErrConflict) {
			return fmt.Errorf("lease %s: release: %w", l.name, err)
		}
		return nil
	}
}
