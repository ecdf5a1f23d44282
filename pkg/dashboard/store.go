package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"jobpulse/pkg/warehouse"
)

// Store answers the dashboard's queries from an in-memory snapshot of the
// warehouse's aggregates (warehouse.Snapshot), read from DuckDB locally
// and from BigQuery in the cloud. It reads again when the warehouse's
// version changes; a read that fails (the loader is writing, BigQuery is
// unreachable) keeps the previous snapshot and is tried at the next
// refresh.
type Store struct {
	src      warehouse.Snapshotter
	postings warehouse.PostingReader // nil: no grid of postings (WithPostings)
	log      *slog.Logger

	mu      sync.Mutex // one refresh at a time
	version string     // the warehouse's version when last read
	snap    atomic.Pointer[snapshot]
}

// NewStore shows src. Call Refresh to read the first snapshot.
func NewStore(src warehouse.Snapshotter, log *slog.Logger, opts ...StoreOption) *Store {
	s := &Store{src: src, log: log}
	for _, o := range opts {
		o(s)
	}
	return s
}

// errNoSnapshot answers requests before the first snapshot.
var errNoSnapshot = errors.New("no data yet: the warehouse could not be read so far (has anything been loaded?); the dashboard keeps trying")

func (s *Store) current() (*snapshot, error) {
	if p := s.snap.Load(); p != nil {
		return p, nil
	}
	return nil, errNoSnapshot
}

// Refresh reads the warehouse again if its version changed since the last
// read. It reports whether it read.
func (s *Store) Refresh(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	version, err := s.src.Version(ctx)
	if err != nil {
		return false, fmt.Errorf("dashboard: %w", err)
	}
	if version == s.version && s.snap.Load() != nil {
		return false, nil
	}
	// The postings go straight into the new snapshot's rows as the
	// warehouse reads them: no row of the warehouse's is held.
	next := newSnapshot()
	w, err := s.src.Snapshot(ctx, next)
	if err != nil {
		return false, fmt.Errorf("dashboard: %w", err)
	}
	s.snap.Store(next.finish(w, time.Now()))
	s.version = version
	return true, nil
}

// Watch refreshes at once and then every interval until ctx ends,
// logging what it reads and why a read failed. A refresh may take ten
// intervals (at least a minute); one that hangs longer is abandoned and
// tried again.
func (s *Store) Watch(ctx context.Context, interval time.Duration) {
	limit := max(10*interval, time.Minute)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		began := time.Now()
		rctx, cancel := context.WithTimeout(ctx, limit)
		read, err := s.Refresh(rctx)
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("warehouse snapshot not refreshed; the previous one stays", "error", err)
		case read:
			s.log.Info("warehouse snapshot refreshed", "took", time.Since(began).Round(time.Millisecond).String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Ready reports whether a snapshot exists.
func (s *Store) Ready() bool { return s.snap.Load() != nil }
