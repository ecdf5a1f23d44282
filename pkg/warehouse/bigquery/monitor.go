package bigquery

import (
	"context"
	_ "embed"
	"fmt"
	"time"
)

var (
	//go:embed sql/last_loads.sql
	lastLoadsSQL string
	//go:embed sql/run_postings.sql
	runPostingsSQL string
)

// LastLoads returns each source's newest load time.
func (w *Warehouse) LastLoads(ctx context.Context) (map[string]time.Time, error) {
	rows, err := w.query(ctx, "last_loads", lastLoadsSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("bigquery.LastLoads: %w", err)
	}
	out := map[string]time.Time{}
	for _, r := range rows {
		src, _ := r["source"].(string)
		at, _ := r["loaded_at"].(time.Time)
		if at.After(out[src]) {
			out[src] = at.UTC()
		}
	}
	return out, nil
}

// RunPostings counts the run's postings now closed and those of a data
// role.
func (w *Warehouse) RunPostings(ctx context.Context, runID string) (closed, dataRoles int, err error) {
	rows, err := w.query(ctx, "run_postings", runPostingsSQL, map[string]any{"run_id": runID})
	if err != nil {
		return 0, 0, fmt.Errorf("bigquery.RunPostings %s: %w", runID, err)
	}
	if len(rows) != 1 {
		return 0, 0, fmt.Errorf("bigquery.RunPostings %s: %d rows", runID, len(rows))
	}
	c, _ := rows[0]["closed"].(int64)
	d, _ := rows[0]["data_roles"].(int64)
	return int(c), int(d), nil
}
