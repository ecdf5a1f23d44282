package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"jobpulse/pkg/source"
)

// LastLoads returns each source's newest load time.
func (w *Warehouse) LastLoads(ctx context.Context) (map[source.Source]time.Time, error) {
	rows, err := w.db.QueryContext(ctx, lastLoadsSQL)
	if err != nil {
		return nil, fmt.Errorf("last loads: %w", err)
	}
	defer rows.Close()
	out := map[source.Source]time.Time{}
	for rows.Next() {
		var src source.Source
		var at time.Time
		if err := rows.Scan(&src, &at); err != nil {
			return nil, fmt.Errorf("last loads: %w", err)
		}
		if at.After(out[src]) {
			out[src] = at.UTC()
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("last loads: %w", err)
	}
	return out, nil
}

// RunPostings counts the run's postings now closed and those of a data
// role.
func (w *Warehouse) RunPostings(ctx context.Context, runID string) (closed, dataRoles int, err error) {
	if err := w.db.QueryRowContext(ctx, runPostingsSQL, sql.Named("run_id", runID)).Scan(&closed, &dataRoles); err != nil {
		return 0, 0, fmt.Errorf("run postings %s: %w", runID, err)
	}
	return closed, dataRoles, nil
}
