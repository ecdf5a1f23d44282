package bigquery

import (
	"context"
	"encoding/json"
	"fmt"

	"jobpulse/pkg/ops"
)

var recordRunsSQL = statements.Get("ops")

// RecordRuns writes run records into ops.runs with one MERGE keyed by
// (job, execution); recording the same execution again replaces its row.
// The ON clause bounds started_at by the records' own span (an execution
// keeps its start time), so the MERGE reads only those days' partitions.
func (w *Warehouse) RecordRuns(ctx context.Context, runs []ops.Run) error {
	if len(runs) == 0 {
		return nil
	}
	lo, hi := runs[0].StartedAt, runs[0].StartedAt
	for _, r := range runs {
		if r.StartedAt.Before(lo) {
			lo = r.StartedAt
		}
		if r.StartedAt.After(hi) {
			hi = r.StartedAt
		}
	}
	b, err := json.Marshal(runs)
	if err != nil {
		return fmt.Errorf("bigquery.RecordRuns: %w", err)
	}
	if _, err := w.query(ctx, "record_runs", recordRunsSQL, map[string]any{
		"runs":        string(b),
		"min_started": lo.UTC(),
		"max_started": hi.UTC(),
	}); err != nil {
		return fmt.Errorf("bigquery.RecordRuns: %w", err)
	}
	return nil
}
