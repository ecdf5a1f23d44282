package lake

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jobpulse/pkg/source"
)

// Watermark is how far a source has been extracted: every change before
// Until has been written to the lake and announced on the bus.
type Watermark struct {
	Source  source.Source `json:"source"`
	Until   time.Time     `json:"until"`
	RunID   string        `json:"run_id"`
	Updated time.Time     `json:"updated"`
	// From is where the run that set the watermark started, for sources
	// that fetch a whole window each run.
	From time.Time `json:"from,omitzero"`
	// Pending lists what the last run could not collect (for trends, the
	// requests, as comma-joined keywords), for the next execution to retry.
	Pending []string `json:"pending,omitempty"`
	// Resume is true when the last run stopped early (its daily quota ran
	// out) having announced every change before Until: the next run starts
	// exactly at Until, without the usual overlap, so that a history larger
	// than a day's quota is fetched over several days with no page twice.
	Resume bool `json:"resume,omitempty"`
	// generation is the object's generation when read, for a conditional
	// write that fails if another execution moved the watermark meanwhile.
	generation int64
}

// ReadWatermark returns the source's watermark; found is false when the
// source has never been extracted.
func (l *Lake) ReadWatermark(ctx context.Context, src source.Source) (wm Watermark, found bool, err error) {
	gen, err := l.ReadJSON(ctx, WatermarkName(src), &wm)
	if errors.Is(err, ErrNotFound) {
		return Watermark{Source: src}, false, nil
	}
	if err != nil {
		return Watermark{}, false, fmt.Errorf("read watermark %s: %w", src, err)
	}
	wm.generation = gen
	return wm, true, nil
}

// AdvanceWatermark moves the watermark read earlier to until. It fails with
// ErrConflict if another execution wrote the watermark since it was read.
func (l *Lake) AdvanceWatermark(ctx context.Context, prev Watermark, until time.Time, runID string, now time.Time) error {
	return l.WriteWatermark(ctx, prev, Watermark{Source: prev.Source, Until: until, RunID: runID, Updated: now})
}

// WriteWatermark replaces the watermark read earlier (prev) with next,
// under the same precondition as AdvanceWatermark.
func (l *Lake) WriteWatermark(ctx context.Context, prev, next Watermark) error {
	next.Source = prev.Source
	next.Until, next.Updated = next.Until.UTC(), next.Updated.UTC()
	if !next.From.IsZero() {
		next.From = next.From.UTC()
	}
	if err := l.WriteJSON(ctx, WatermarkName(prev.Source), prev.generation, next); err != nil {
		return fmt.Errorf("advance watermark %s to %s: %w", prev.Source, next.Until.Format(time.RFC3339), err)
	}
	return nil
}
