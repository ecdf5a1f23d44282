package bigquery

import (
	"context"
	"fmt"
	"time"

	"jobpulse/pkg/source"
)

var (
	lastLoadsSQL   = statements.Get("last_loads")
	runPostingsSQL = statements.Get("run_postings")
)

// LastLoads returns each source's newest load time.
func (w *Warehouse) LastLoads(ctx context.Context) (map[source.Source]time.Time, error) {
	rows, err := read[struct {
		Source   string    `bigquery:"source"`
		LoadedAt time.Time `bigquery:"loaded_at"`
	}](ctx, w, "last_loads", lastLoadsSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("bigquery.LastLoads: %w", err)
	}
	out := map[source.Source]time.Time{}
	for _, r := range rows {
		if src := source.Source(r.Source); r.LoadedAt.After(out[src]) {
			out[src] = r.LoadedAt.UTC()
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
