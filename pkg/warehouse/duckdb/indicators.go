package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"jobpulse/pkg/warehouse"
)

// LoadTrends stages b's trend rows, merges them into external.google_trend
// and rebuilds core.google_trend for the keywords they touch, in one
// transaction. Staged rows are keyed by the clean object they came from:
// loading an object again replaces them.
func (w *Warehouse) LoadTrends(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" {
		return warehouse.Result{}, errors.New("duckdb.LoadTrends: batch has no run id")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.inTx(ctx, func(tx *sql.Tx) (warehouse.Result, error) { return w.loadTrends(ctx, tx, b, src) })
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("duckdb.LoadTrends run %s: %w", b.RunID, err)
	}
	return res, nil
}

func (w *Warehouse) loadTrends(ctx context.Context, tx *sql.Tx, b warehouse.Batch, src warehouse.Opener) (res warehouse.Result, err error) {
	loadedAt := w.now().UTC()
	objects, err := json.Marshal(append([]string{}, b.Objects...))
	if err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staging.google_trend WHERE source_object IN (SELECT unnest(from_json($objects, '["VARCHAR"]')))`,
		sql.Named("objects", string(objects))); err != nil {
		return res, fmt.Errorf("delete staged rows: %w", err)
	}
	if res.Staged, err = w.stageObjects(ctx, tx, src, b, stageTrendSQL, loadedAt); err != nil {
		return res, err
	}
	var bad int
	var example sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT count(*), any_value(source_object || ':' || source_line) FROM staging.google_trend
		WHERE source_object IN (SELECT unnest(from_json($objects, '["VARCHAR"]')))
		  AND (keyword IS NULL OR period IS NULL OR request_id IS NULL)`, sql.Named("objects", string(objects))).Scan(&bad, &example); err != nil {
		return res, fmt.Errorf("check staged rows: %w", err)
	}
	if bad > 0 {
		return res, fmt.Errorf("%w: %d trend rows without keyword, period or request id, first at %s", warehouse.ErrInvalidRow, bad, example.String)
	}
	if err := execScript(ctx, tx, mergeTrendSQL, sql.Named("objects", string(objects))); err != nil {
		return res, fmt.Errorf("merge into external.google_trend: %w", err)
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT inserted, updated, total FROM batch_trend_counts`).Scan(&res.Inserted, &res.Updated, &total); err != nil {
		return res, fmt.Errorf("count merge: %w", err)
	}
	res.Unchanged = total - res.Inserted - res.Updated
	if err := recordIndicatorLoad(ctx, tx, b, res, string(objects), loadedAt); err != nil {
		return res, err
	}
	return res, nil
}

// ReplaceCertifications reads b's rows into a temporary table, checks
// them, and replaces external.certification and core.certification with
// them, in one transaction.
func (w *Warehouse) ReplaceCertifications(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" || b.WindowTo.IsZero() {
		return warehouse.Result{}, errors.New("duckdb.ReplaceCertifications: batch has no run id or window end")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.inTx(ctx, func(tx *sql.Tx) (warehouse.Result, error) { return w.replaceCertifications(ctx, tx, b, src) })
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("duckdb.ReplaceCertifications run %s: %w", b.RunID, err)
	}
	return res, nil
}

func (w *Warehouse) replaceCertifications(ctx context.Context, tx *sql.Tx, b warehouse.Batch, src warehouse.Opener) (res warehouse.Result, err error) {
	loadedAt := w.now().UTC()
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE batch_cert AS
		SELECT exam, jmcd, stage, year, round, applicants, examinees, passers, pass_rate, source, quality, note, synthetic, origin
		FROM external.certification LIMIT 0`); err != nil {
		return res, fmt.Errorf("batch table: %w", err)
	}
	if res.Staged, err = w.stageObjects(ctx, tx, src, b, stageCertSQL, loadedAt); err != nil {
		return res, err
	}
	var current sql.NullTime
	if err := tx.QueryRowContext(ctx, `SELECT max(as_of) FROM external.certification`).Scan(&current); err != nil {
		return res, fmt.Errorf("current set: %w", err)
	}
	if current.Valid && b.WindowTo.Before(current.Time) {
		// An older run (a replay): the newer set stays.
		res.Unchanged = res.Staged
		return res, nil
	}
	checks, err := runChecks(ctx, tx, "external", checkCertSQL)
	if err != nil {
		return res, err
	}
	res.Checks = checks
	if _, failed := warehouse.Counts(checks); failed > 0 {
		return res, &warehouse.CheckError{RunID: b.RunID, Checks: checks}
	}
	if err := tx.QueryRowContext(ctx, `SELECT
			count(*) FILTER (WHERE e.exam IS NULL),
			count(*) FILTER (WHERE e.exam IS NOT NULL AND (b.applicants, b.examinees, b.passers, b.pass_rate, b.source, b.quality, b.synthetic)
			                 IS DISTINCT FROM (e.applicants, e.examinees, e.passers, e.pass_rate, e.source, e.quality, e.synthetic)),
			count(*) FILTER (WHERE e.exam IS NOT NULL AND (b.applicants, b.examinees, b.passers, b.pass_rate, b.source, b.quality, b.synthetic)
			                 IS NOT DISTINCT FROM (e.applicants, e.examinees, e.passers, e.pass_rate, e.source, e.quality, e.synthetic))
		FROM batch_cert b LEFT JOIN external.certification e USING (exam, stage, year, round)`).Scan(&res.Inserted, &res.Updated, &res.Unchanged); err != nil {
		return res, fmt.Errorf("compare with the loaded set: %w", err)
	}
	var loaded int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM external.certification`).Scan(&loaded); err != nil {
		return res, fmt.Errorf("current set: %w", err)
	}
	if res.Inserted == 0 && res.Updated == 0 && res.Unchanged == loaded && current.Valid && current.Time.Equal(b.WindowTo) {
		// The same run again (a replay or a re-run): the set is already
		// loaded as it is.
		return res, nil
	}
	if err := execScript(ctx, tx, replaceCertSQL, sql.Named("run_id", b.RunID), sql.Named("as_of", b.WindowTo.UTC()), sql.Named("loaded_at", loadedAt)); err != nil {
		return res, fmt.Errorf("replace the data set: %w", err)
	}
	objects, err := json.Marshal(append([]string{}, b.Objects...))
	if err != nil {
		return res, err
	}
	if err := recordIndicatorLoad(ctx, tx, b, res, string(objects), loadedAt); err != nil {
		return res, err
	}
	return res, nil
}

// inTx runs f in a transaction, committed only when f succeeds.
func (w *Warehouse) inTx(ctx context.Context, f func(tx *sql.Tx) (warehouse.Result, error)) (res warehouse.Result, err error) {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("begin: %w", err)
	}
	res, err = f(tx)
	if err != nil {
		_ = tx.Rollback()
		return res, err
	}
	if err := commit(ctx, tx); err != nil {
		return res, err
	}
	return res, nil
}

// commit drops the transaction's work tables (drop_work.sql) and commits.
func commit(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, dropWorkSQL); err != nil {
		return fmt.Errorf("drop work tables: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// stageObjects stages each of b's objects with the SQL stage and checks
// the rows staged against b's count. stage reads the object from $path and
// may use $run_id, $object and $loaded_at.
func (w *Warehouse) stageObjects(ctx context.Context, tx *sql.Tx, src warehouse.Opener, b warehouse.Batch, stage string, loadedAt time.Time) (int, error) {
	staged := 0
	for _, obj := range b.Objects {
		n, err := w.stageFile(ctx, tx, src, obj, stage, b.RunID, loadedAt)
		if err != nil {
			return staged, fmt.Errorf("load %s: %w", obj, err)
		}
		staged += n
	}
	if b.Rows > 0 && staged != b.Rows {
		return staged, fmt.Errorf("%w: staged %d rows, batch says %d", warehouse.ErrRowCount, staged, b.Rows)
	}
	return staged, nil
}

// stageFile downloads obj and runs stage on it, returning the rows it
// inserted.
func (w *Warehouse) stageFile(ctx context.Context, tx *sql.Tx, src warehouse.Opener, obj, stage, runID string, loadedAt time.Time) (int, error) {
	path, err := w.download(ctx, src, obj)
	if err != nil {
		return 0, err
	}
	defer os.Remove(path)
	// Only the parameters the statement names: the driver refuses others.
	var args []any
	for _, a := range []sql.NamedArg{sql.Named("run_id", runID), sql.Named("object", obj), sql.Named("loaded_at", loadedAt), sql.Named("path", path)} {
		if strings.Contains(stage, "$"+a.Name) {
			args = append(args, a)
		}
	}
	if err := w.setMemoryLimit(ctx, tx, w.settings.ReadMemoryLimit); err != nil {
		return 0, err
	}
	r, err := tx.ExecContext(ctx, stage, args...)
	if err != nil {
		// The transaction is aborted; the limit is the database's, set
		// back from any connection.
		_ = w.setMemoryLimit(context.WithoutCancel(ctx), w.db, w.settings.MemoryLimit)
		return 0, fmt.Errorf("read_json: %w", err)
	}
	if err := w.setMemoryLimit(ctx, tx, w.settings.MemoryLimit); err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rows affected: %w", err)
	}
	return int(n), nil
}

// setMemoryLimit sets DuckDB's memory limit to limit, when the settings
// read a lake object with another (Settings.ReadMemoryLimit; without a
// MemoryLimit there is nothing to raise, nor a value to set back).
// Lowering it evicts cached blocks, or fails if what is pinned does not fit.
func (w *Warehouse) setMemoryLimit(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, limit string) error {
	s := w.settings
	if s.MemoryLimit == "" || s.ReadMemoryLimit == "" || s.ReadMemoryLimit == s.MemoryLimit {
		return nil
	}
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+quoteLiteral(limit)); err != nil {
		return fmt.Errorf("memory limit %s: %w", limit, err)
	}
	return nil
}

func recordIndicatorLoad(ctx context.Context, tx *sql.Tx, b warehouse.Batch, res warehouse.Result, objects string, loadedAt any) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO staging.indicator_loads
			(source, run_id, batch, window_from, window_to, objects, rows, inserted, updated, unchanged, loaded_at)
		VALUES ($source, $run_id, $batch, $window_from, $window_to, from_json($objects, '["VARCHAR"]'), $rows, $inserted, $updated, $unchanged, $loaded_at)`,
		sql.Named("source", string(b.Source)), sql.Named("run_id", b.RunID), sql.Named("batch", warehouse.BatchKey(b.Objects)),
		sql.Named("window_from", nullTime(b.WindowFrom)), sql.Named("window_to", nullTime(b.WindowTo)),
		sql.Named("objects", objects), sql.Named("rows", int64(res.Staged)), sql.Named("inserted", int64(res.Inserted)),
		sql.Named("updated", int64(res.Updated)), sql.Named("unchanged", int64(res.Unchanged)), sql.Named("loaded_at", loadedAt)); err != nil {
		return fmt.Errorf("record load: %w", err)
	}
	return nil
}

// execScript runs the statements of a SQL file one by one (the driver binds
// parameters to a single statement), passing each only the named
// parameters it uses. Statements end with ';' at the end of a line.
func execScript(ctx context.Context, tx *sql.Tx, script string, args ...sql.NamedArg) error {
	for _, stmt := range strings.Split(script, ";\n") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		var use []any
		for _, a := range args {
			if strings.Contains(stmt, "$"+a.Name) {
				use = append(use, a)
			}
		}
		if _, err := tx.ExecContext(ctx, stmt, use...); err != nil {
			return fmt.Errorf("%s: %w", statementName(stmt), err)
		}
	}
	return nil
}

// statementName is the start of a statement's first line that is not a
// comment, for errors.
func statementName(stmt string) string {
	for _, line := range strings.Split(stmt, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "--") {
			if len(line) > 60 {
				line = line[:60] + "…"
			}
			return line
		}
	}
	return "statement"
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
