package bigquery

import (
	"context"
	"fmt"
	"time"
)

var (
	lastLoadsSQL   = statements.Get("last_loads")
	runPostingsSQL = statements.Get("run_postings")
)

// LastLoads returns each source's newest load time.
func (w *Warehouse) LastLoads(ctx context.Context) (map[string]time.Time, error) {
	rows, err := read[struct {
		Source   string    `bigquery:"source"`
		LoadedAt time.Time `bigquery:"loaded_at"`
	}](ctx, w, "last_loads", lastLoadsSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("bigquery.LastLoads: %w", err)
	}
	out := map[string]time.Time{}
	for _, r := range rows {
		if r.LoadedAt.After(out[r.Source]) {
			out[r.Source] = r.LoadedAt.UTC()
		}
	}
	return out, nil
}

// RunPostings counts the run's postings now closed and those of a data
// role.
func (w *Warehouse) RunPostings(ctx context.Context, runID string) (closed, dataRoles int, err error) {
	rows, err := read[struct {
		Closed    int64 `bigquery:"closed"`
		DataRoles int64 `bigquery:"data_roles"`
	}](ctx, w, "run_postings", runPostingsSQL, map[string]any{"run_id": runID})
	if err != nil {
		return 0, 0, fmt.Errorf("bigquery.RunPostings %s: %w", runID, err)
	}
	if len(rows) != 1 {
		return 0, 0, fmt.Errorf("bigquery.RunPostings %s: %d rows", runID, len(rows))
	}
	return int(rows[0].Closed), int(rows[0].DataRoles), nil
}
