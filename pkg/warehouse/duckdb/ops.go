package duckdb

import (
	"context"
	"fmt"
	"time"

	"jobpulse/pkg/ops"
)

// RecordRuns writes run records into ops.runs; recording the same
// execution again replaces its row.
func (w *Warehouse) RecordRuns(ctx context.Context, runs []ops.Run) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record runs: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, opsSchema); err != nil {
		return fmt.Errorf("record runs: schema: %w", err)
	}
	for _, r := range runs {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO ops.runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Job, r.Execution, nullStr(r.RunID), nullStr(string(r.Source)), nullTime(r.WindowFrom), nullTime(r.WindowTo),
			r.CountIn, r.CountOut, r.ChecksPassed, r.ChecksFailed, r.Status, nullStr(r.Error), r.StartedAt, r.DurationMS)
		if err != nil {
			return fmt.Errorf("record run %s: %w", r.Key(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record runs: %w", err)
	}
	return nil
}

// Runs lists ops.runs, oldest first.
func (w *Warehouse) Runs(ctx context.Context) ([]ops.Run, error) {
	if _, err := w.db.ExecContext(ctx, opsSchema); err != nil {
		return nil, fmt.Errorf("runs: schema: %w", err)
	}
	rows, err := w.db.QueryContext(ctx, `SELECT job, execution, coalesce(run_id, ''), coalesce(source, ''), window_from, window_to,
		count_in, count_out, checks_passed, checks_failed, status, coalesce(error, ''), started_at, duration_ms
		FROM ops.runs ORDER BY started_at, job, execution`)
	if err != nil {
		return nil, fmt.Errorf("runs: %w", err)
	}
	defer rows.Close()
	var out []ops.Run
	for rows.Next() {
		var r ops.Run
		var from, to *time.Time
		if err := rows.Scan(&r.Job, &r.Execution, &r.RunID, &r.Source, &from, &to, &r.CountIn, &r.CountOut,
			&r.ChecksPassed, &r.ChecksFailed, &r.Status, &r.Error, &r.StartedAt, &r.DurationMS); err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		if from != nil {
			r.WindowFrom = from.UTC()
		}
		if to != nil {
			r.WindowTo = to.UTC()
		}
		r.StartedAt = r.StartedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
