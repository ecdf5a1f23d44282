package lake

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Watermark is how far a source has been extracted: every change before
// Until has been written to the lake and announced on the bus.
type Watermark struct {
	Source  string    `json:"source"`
	Until   time.Time `json:"until"`
	RunID   string    `json:"run_id"`
	Updated time.Time `json:"updated"`
	// generation is the object's generation when read, for a conditional
	// write that fails if another execution moved the watermark meanwhile.
	generation int64
}

// ReadWatermark returns the source's watermark; found is false when the
// source has never been extracted.
func (l *Lake) ReadWatermark(ctx context.Context, source string) (wm Watermark, found bool, err error) {
	gen, err := l.ReadJSON(ctx, WatermarkName(source), &wm)
	if errors.Is(err, ErrNotFound) {
		return Watermark{Source: source}, false, nil
	}
	if err != nil {
		return Watermark{}, false, fmt.Errorf("read watermark %s: %w", source, err)
	}
	wm.generation = gen
	return wm, true, nil
}

// AdvanceWatermark moves the watermark read earlier to until. It fails with
// ErrConflict if another execution wrote the watermark since it was read.
func (l *Lake) AdvanceWatermark(ctx context.Context, prev Watermark, until time.Time, runID string, now time.Time) error {
	next := Watermark{Source: prev.Source, Until: until.UTC(), RunID: runID, Updated: now.UTC()}
	if err := l.WriteJSON(ctx, WatermarkName(prev.Source), prev.generation, next); err != nil {
		return fmt.Errorf("advance watermark %s to %s: %w", prev.Source, until.UTC().Format(time.RFC3339), err)
	}
	return nil
}
