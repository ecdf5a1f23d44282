package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"jobpulse/pkg/warehouse"
)

// LoadRecruit stages b's objects, merges them into external.recruit_table,
// closes postings whose deadline passed and rebuilds the core rows and
// aggregates the batch touched, all in one transaction. Each object is streamed to a temporary file and read there by
// DuckDB's read_json with an explicit schema, so a large batch is never held
// in memory and unknown keys are ignored. Loading a run again replaces its
// staging rows and merges them again, which changes nothing in external or core.
func (w *Warehouse) LoadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" {
		return warehouse.Result{}, errors.New("duckdb.LoadRecruit: batch has no run id")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.loadRecruit(ctx, b, src)
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("duckdb.LoadRecruit run %s: %w", b.RunID, err)
	}
	return res, nil
}

func (w *Warehouse) loadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (res warehouse.Result, err error) {
	loadedAt := w.now().UTC()
	run := sql.Named("run_id", b.RunID)

	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()

	if _, err := tx.ExecContext(ctx, deleteStagedSQL, run); err != nil {
		return res, fmt.Errorf("delete staged rows: %w", err)
	}
	if res.Staged, err = w.stageObjects(ctx, tx, src, b, stageSQL, loadedAt); err != nil {
		return res, err
	}

	var bad int
	var where sql.NullString
	if err := tx.QueryRowContext(ctx, checkStagedSQL, run).Scan(&bad, &where); err != nil {
		return res, fmt.Errorf("check staged rows: %w", err)
	}
	if bad > 0 {
		return res, fmt.Errorf("%w: %d rows without id or modified_at, first at %s", warehouse.ErrInvalidRow, bad, where.String)
	}
	// The batch moves up only if every staging check passes; a failure
	// rolls the whole load back.
	staged, err := runChecks(ctx, tx, "staging", checksStagedSQL, run, sql.Named("window_to", nullTime(b.WindowTo)))
	if err != nil {
		return res, err
	}
	res.Checks = staged
	if _, failed := warehouse.Counts(staged); failed > 0 {
		return res, &warehouse.CheckError{RunID: b.RunID, Checks: staged}
	}

	var asOf sql.NullTime
	if err := tx.QueryRowContext(ctx, loadAsOfSQL, run, sql.Named("window_to", nullTime(b.WindowTo))).Scan(&asOf); err != nil {
		return res, fmt.Errorf("warehouse clock: %w", err)
	}
	clock := sql.Named("as_of", asOfOrNull(asOf))
	if err := prepareRefresh(ctx, tx, asOf); err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, touchRunIDsSQL, run, clock); err != nil {
		return res, fmt.Errorf("touched ids: %w", err)
	}
	if _, err := tx.ExecContext(ctx, collectDatesSQL); err != nil {
		return res, fmt.Errorf("touched dates: %w", err)
	}

	if err := tx.QueryRowContext(ctx, countMergeSQL, run).Scan(&res.Inserted, &res.Updated, &res.Unchanged); err != nil {
		return res, fmt.Errorf("count merge: %w", err)
	}
	if _, err := tx.ExecContext(ctx, mergeSQL, run, clock); err != nil {
		return res, fmt.Errorf("merge into external.recruit_table: %w", err)
	}
	if _, err := tx.ExecContext(ctx, closeExpiredSQL, clock); err != nil {
		return res, fmt.Errorf("close expired: %w", err)
	}
	if err := w.refreshCore(ctx, tx); err != nil {
		return res, fmt.Errorf("refresh core: %w", err)
	}
	layered, err := runChecks(ctx, tx, "core", checksCoreSQL)
	if err != nil {
		return res, err
	}
	res.Checks = append(res.Checks, layered...)
	if _, failed := warehouse.Counts(layered); failed > 0 {
		return res, &warehouse.CheckError{RunID: b.RunID, Checks: res.Checks}
	}

	objects, err := json.Marshal(append([]string{}, b.Objects...))
	if err != nil {
		return res, fmt.Errorf("record load: %w", err)
	}
	if _, err := tx.ExecContext(ctx, recordLoadSQL, run,
		sql.Named("source", b.Source),
		sql.Named("window_from", nullTime(b.WindowFrom)),
		sql.Named("window_to", nullTime(b.WindowTo)),
		sql.Named("objects", string(objects)),
		sql.Named("rows", int64(b.Rows)),
		sql.Named("staged", int64(res.Staged)),
		sql.Named("inserted", int64(res.Inserted)),
		sql.Named("updated", int64(res.Updated)),
		sql.Named("unchanged", int64(res.Unchanged)),
		sql.Named("loaded_at", loadedAt),
		clock,
	); err != nil {
		return res, fmt.Errorf("record load: %w", err)
	}

	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("commit: %w", err)
	}
	return res, nil
}

// download streams obj from src into a new temporary file and returns its
// path; the caller removes it.
func (w *Warehouse) download(ctx context.Context, src warehouse.Opener, obj string) (path string, err error) {
	rc, err := src.Open(ctx, obj)
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(w.tempDir, "warehouse-*.ndjson")
	if err != nil {
		return "", fmt.Errorf("temp file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("temp file: %w", cerr)
		}
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, rc); err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	return f.Name(), nil
}

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t, Valid: !t.IsZero()} }
