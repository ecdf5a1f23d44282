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

// DefaultChunkRows is how many staged rows a load holds in one transaction
// by default (WithChunkRows).
const DefaultChunkRows = 5000

// WithChunkRows sets how many rows a load holds in one transaction
// (default DefaultChunkRows). A batch of more rows is staged and merged in
// chunks of about n rows, each committed, so that memory follows n rather
// than the batch; see LoadRecruit. The expired postings a large batch
// closes, and a rebuild of core after a code-table change, go n postings
// at a time too.
func WithChunkRows(n int) Option {
	return func(w *Warehouse) {
		if n > 0 {
			w.chunkRows = n
		}
	}
}

// LoadRecruit stages b's objects, merges them into external.recruit_table,
// closes postings whose deadline passed and rebuilds the core rows and
// aggregates the batch touched. Each object is streamed to a temporary file
// and read there by DuckDB's read_json with an explicit schema, so no
// object is held in memory and unknown keys are ignored. Loading a run again
// replaces its staging rows and merges them again, which changes nothing in
// external or core.
//
// A batch of at most the chunk size (WithChunkRows) loads in one
// transaction. A larger one (a backfill) is staged object by object, a
// transaction per chunk of rows, and checked whole before anything moves
// up: if a check fails, its staged rows are deleted again and nothing else
// changed. It is then merged a chunk of ids at a time, each chunk with
// every version of its ids, so it keeps the same rows as a single
// transaction would. Each chunk commits: a load that fails while merging
// leaves the chunks before in the warehouse, consistent, and loading the
// run again completes it (its message is not acknowledged).
func (w *Warehouse) LoadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" {
		return warehouse.Result{}, errors.New("duckdb.LoadRecruit: batch has no run id")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.loadRecruit(ctx, b, src)
	// A failed load may have committed chunks of a large batch.
	w.wrote = w.wrote || err != nil || res.Staged > 0
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("duckdb.LoadRecruit run %s: %w", b.RunID, err)
	}
	return res, nil
}

// loading is one load in progress.
type loading struct {
	b        warehouse.Batch
	loadedAt time.Time
	modified sql.NullTime // the newest modified_at staged
	checks   []warehouse.Check
	invalid  error // the first ErrInvalidRow or ErrRowCount
	res      warehouse.Result
}

func (w *Warehouse) loadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (res warehouse.Result, err error) {
	l := &loading{b: b, loadedAt: w.now().UTC()}
	run := sql.Named("run_id", b.RunID)

	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("begin: %w", err)
	}
	chunked := false
	defer func() {
		if tx != nil {
			_ = tx.Rollback()
		}
		if err != nil && chunked {
			// Chunks of a large batch were kept before it failed: they go.
			_, _ = w.db.ExecContext(context.WithoutCancel(ctx), deleteStagedSQL, run)
		}
	}()
	if _, err := tx.ExecContext(ctx, deleteStagedSQL, run); err != nil {
		return res, fmt.Errorf("delete staged rows: %w", err)
	}
	if _, err := tx.ExecContext(ctx, prepareBatchSQL); err != nil {
		return res, fmt.Errorf("batch table: %w", err)
	}
	inBatch := 0
	for i, obj := range b.Objects {
		n, err := w.stageFile(ctx, tx, src, obj, stageSQL, b.RunID, l.loadedAt)
		if err != nil {
			return res, fmt.Errorf("load %s: %w", obj, err)
		}
		l.res.Staged += n
		inBatch += n
		if inBatch < w.chunkRows || i == len(b.Objects)-1 {
			continue
		}
		// A large batch: check and keep this chunk, and go on in a new
		// transaction.
		chunked = true
		if err := l.checkChunk(ctx, tx); err != nil {
			return res, err
		}
		if err := commit(ctx, tx); err != nil {
			return res, fmt.Errorf("staged rows: %w", err)
		}
		w.checkpoint(ctx)
		if tx, err = w.db.BeginTx(ctx, nil); err != nil {
			return res, fmt.Errorf("begin: %w", err)
		}
		if _, err := tx.ExecContext(ctx, prepareBatchSQL); err != nil {
			return res, fmt.Errorf("batch table: %w", err)
		}
		inBatch = 0
	}
	if err := l.checkChunk(ctx, tx); err != nil {
		return res, err
	}
	if l.invalid == nil && b.Rows > 0 && l.res.Staged != b.Rows {
		l.invalid = fmt.Errorf("%w: staged %d rows, batch says %d", warehouse.ErrRowCount, l.res.Staged, b.Rows)
	}
	// The batch moves up only if every row passed; a failure leaves
	// nothing of it.
	if l.invalid != nil {
		return res, l.invalid
	}
	if _, failed := warehouse.Counts(l.checks); failed > 0 {
		return res, &warehouse.CheckError{RunID: b.RunID, Checks: l.checks}
	}
	l.res.Checks = l.checks
	if !chunked {
		// A small batch whose clock expires more postings than a chunk
		// (the first after the loader was stopped for weeks) merges as a
		// large one does, closing them a chunk at a time first.
		if chunked, err = l.manyExpire(ctx, tx, w.chunkRows); err != nil {
			return res, err
		}
	}
	if !chunked {
		if err := l.merge(ctx, w, tx, true); err != nil {
			return res, err
		}
		if err := commit(ctx, tx); err != nil {
			return res, err
		}
		tx = nil
		return l.res, nil
	}
	if err := commit(ctx, tx); err != nil {
		return res, fmt.Errorf("staged rows: %w", err)
	}
	tx = nil
	w.checkpoint(ctx)
	if err := w.mergeChunks(ctx, l); err != nil {
		// The chunks merged stay (they are consistent); so must their
		// staged rows, which loading the run again replaces.
		chunked = false
		return res, err
	}
	return l.res, nil
}

// clock is the warehouse clock after this load (load_as_of.sql), read
// through q: the batch's transaction, or the database once its rows are
// committed. It is NULL for a batch without a window or rows.
func (l *loading) clock(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (sql.NullTime, error) {
	var asOf sql.NullTime
	if err := q.QueryRowContext(ctx, loadAsOfSQL, sql.Named("window_to", nullTime(l.b.WindowTo)),
		sql.Named("modified", l.modified)).Scan(&asOf); err != nil {
		return asOf, fmt.Errorf("warehouse clock: %w", err)
	}
	return asOf, nil
}

// manyExpire reports whether more than chunk postings outside the batch
// expire by the clock the batch sets (count_expired.sql), in tx, which
// holds the batch's staged rows.
func (l *loading) manyExpire(ctx context.Context, tx *sql.Tx, chunk int) (bool, error) {
	asOf, err := l.clock(ctx, tx)
	if err != nil || !asOf.Valid {
		return false, err
	}
	var many bool
	if err := tx.QueryRowContext(ctx, countExpiredSQL, sql.Named("as_of", asOf), sql.Named("run_id", l.b.RunID),
		sql.Named("chunk_rows", int64(chunk))).Scan(&many); err != nil {
		return false, fmt.Errorf("count expired: %w", err)
	}
	return many, nil
}

// checkChunk checks the rows in the batch table (a whole batch, or one
// chunk of a large one), adding its failures to l's, and keeps the rows in
// staging.recruit.
func (l *loading) checkChunk(ctx context.Context, tx *sql.Tx) error {
	var bad int
	var where sql.NullString
	if err := tx.QueryRowContext(ctx, checkStagedSQL).Scan(&bad, &where); err != nil {
		return fmt.Errorf("check staged rows: %w", err)
	}
	if bad > 0 && l.invalid == nil {
		l.invalid = fmt.Errorf("%w: %d rows without id or modified_at, first at %s", warehouse.ErrInvalidRow, bad, where.String)
	}
	staged, err := runChecks(ctx, tx, "staging", checksStagedSQL, sql.Named("window_to", nullTime(l.b.WindowTo)))
	if err != nil {
		return err
	}
	l.checks = addChecks(l.checks, staged)
	var modified sql.NullTime
	if err := tx.QueryRowContext(ctx, `SELECT max(modified_at) FROM batch`).Scan(&modified); err != nil {
		return fmt.Errorf("newest staged: %w", err)
	}
	if modified.Valid && (!l.modified.Valid || modified.Time.After(l.modified.Time)) {
		l.modified = modified
	}
	if _, err := tx.ExecContext(ctx, keepBatchSQL); err != nil {
		return fmt.Errorf("keep staged rows: %w", err)
	}
	return nil
}

// addChecks adds the failures of a chunk's checks to those of the chunks
// before (the same checks, in the same order); the example is the least.
func addChecks(sum, chunk []warehouse.Check) []warehouse.Check {
	if sum == nil {
		return chunk
	}
	for i := range sum {
		if i >= len(chunk) || chunk[i].Failed == 0 {
			continue
		}
		if sum[i].Failed == 0 || chunk[i].Example < sum[i].Example {
			sum[i].Example = chunk[i].Example
		}
		sum[i].Failed += chunk[i].Failed
	}
	return sum
}

// mergeChunks merges a large batch, already staged and checked, one chunk
// of its ids at a time, each in its own transaction; the last records the
// load.
func (w *Warehouse) mergeChunks(ctx context.Context, l *loading) error {
	run := sql.Named("run_id", l.b.RunID)
	bounds, err := queryStrings(ctx, w.db, chunkBoundsSQL, run, sql.Named("chunk_rows", int64(w.chunkRows)))
	if err != nil {
		return fmt.Errorf("chunks: %w", err)
	}
	if len(bounds) == 0 {
		bounds = []string{""} // nothing staged: one empty chunk records the load
	}
	if err := l.closeExpired(ctx, w); err != nil {
		return err
	}
	for i, lo := range bounds {
		hi := sql.NullString{}
		if i+1 < len(bounds) {
			hi = sql.NullString{String: bounds[i+1], Valid: true}
		}
		err := w.inTxErr(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, batchChunkSQL, run, sql.Named("lo", lo), sql.Named("hi", hi)); err != nil {
				return fmt.Errorf("chunk from %q: %w", lo, err)
			}
			return l.merge(ctx, w, tx, i == len(bounds)-1)
		})
		if err != nil {
			return err
		}
		w.checkpoint(ctx)
	}
	return nil
}

// closeExpired closes the postings outside a large batch whose deadline
// passed by the load's clock, a chunk of them (WithChunkRows) at a time,
// each in its own transaction with its core refresh, before the batch's
// chunks merge. A batch whose clock moves far (the first after weeks of
// history, or after the loader was stopped long) would otherwise close
// and rebuild every one of them in its first chunk's transaction, whose
// memory follows them. Closing by the clock is what any later load would
// do, so the closes stay if the batch then fails.
func (l *loading) closeExpired(ctx context.Context, w *Warehouse) error {
	asOf, err := l.clock(ctx, w.db)
	if err != nil {
		return fmt.Errorf("close expired: %w", err)
	}
	if !asOf.Valid {
		return nil
	}
	for closed := 0; ; {
		n := 0
		err := w.inTxErr(ctx, func(tx *sql.Tx) error {
			if err := prepareRefresh(ctx, tx, asOf); err != nil {
				return err
			}
			r, err := tx.ExecContext(ctx, expiredChunkSQL, sql.Named("as_of", asOf), sql.Named("run_id", l.b.RunID),
				sql.Named("chunk_rows", int64(w.chunkRows)))
			if err != nil {
				return err
			}
			rows, err := r.RowsAffected()
			if err != nil || rows == 0 {
				return err
			}
			n = int(rows)
			for _, q := range []string{collectDatesSQL, rememberCoreSQL} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			// close_expired.sql, for this chunk's ids only.
			if _, err := tx.ExecContext(ctx, `UPDATE external.recruit_table
				SET is_open = false, closed_at = coalesce(closed_at, expires_at)
				WHERE id IN (SELECT id FROM refresh_ids)`); err != nil {
				return err
			}
			return w.refreshCore(ctx, tx)
		})
		if err != nil {
			return fmt.Errorf("close expired (%d closed before): %w", closed, err)
		}
		if n == 0 {
			return nil
		}
		closed += n
		w.checkpoint(ctx)
	}
}

// checkpoint writes what a chunk of a large batch committed to the
// database file, so that DuckDB holds it in memory no longer (it would
// only at its WAL's checkpoint threshold). A checkpoint that fails (another
// connection's transaction is open) is left to DuckDB's own. It vacuums
// what the chunk changed, as DuckDB does by default, also where
// Settings.CompactEvery keeps the hourly loads' checkpoints from it: a
// backfill's chunks replace many rows, and a day's compaction (at most
// vacuumTasks merges) would leave most of them behind.
func (w *Warehouse) checkpoint(ctx context.Context) {
	if w.settings.CompactEvery <= 0 {
		_, _ = w.db.ExecContext(ctx, "CHECKPOINT")
		return
	}
	_ = w.vacuumingCheckpoint(ctx)
}

// inTxErr runs f in a transaction, committed only when f succeeds.
func (w *Warehouse) inTxErr(ctx context.Context, f func(tx *sql.Tx) error) error {
	_, err := w.inTx(ctx, func(tx *sql.Tx) (warehouse.Result, error) { return warehouse.Result{}, f(tx) })
	return err
}

// merge merges the batch table into external, closes what expired, rebuilds
// the core rows and aggregates it touched and checks them, in tx; last
// records the load.
func (l *loading) merge(ctx context.Context, w *Warehouse, tx *sql.Tx, last bool) error {
	b := l.b
	run := sql.Named("run_id", b.RunID)
	asOf, err := l.clock(ctx, tx)
	if err != nil {
		return err
	}
	clock := sql.Named("as_of", asOfOrNull(asOf))
	if err := prepareRefresh(ctx, tx, asOf); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, touchRunIDsSQL, clock); err != nil {
		return fmt.Errorf("touched ids: %w", err)
	}
	for _, q := range []string{collectDatesSQL, rememberCoreSQL} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("touched dates: %w", err)
		}
	}
	var inserted, updated, unchanged int
	if err := tx.QueryRowContext(ctx, countMergeSQL).Scan(&inserted, &updated, &unchanged); err != nil {
		return fmt.Errorf("count merge: %w", err)
	}
	l.res.Inserted += inserted
	l.res.Updated += updated
	l.res.Unchanged += unchanged
	if _, err := tx.ExecContext(ctx, mergeSQL, clock); err != nil {
		return fmt.Errorf("merge into external.recruit_table: %w", err)
	}
	if _, err := tx.ExecContext(ctx, closeExpiredSQL, clock); err != nil {
		return fmt.Errorf("close expired: %w", err)
	}
	if err := w.refreshCore(ctx, tx); err != nil {
		return fmt.Errorf("refresh core: %w", err)
	}
	layered, err := runChecks(ctx, tx, "core", checksBatchSQL)
	if err != nil {
		return err
	}
	if _, failed := warehouse.Counts(layered); failed > 0 {
		return &warehouse.CheckError{RunID: b.RunID, Checks: append(append([]warehouse.Check{}, l.res.Checks...), layered...)}
	}
	if !last {
		return nil
	}
	l.res.Checks = append(l.res.Checks, layered...)

	objects, err := json.Marshal(append([]string{}, b.Objects...))
	if err != nil {
		return fmt.Errorf("record load: %w", err)
	}
	if _, err := tx.ExecContext(ctx, recordLoadSQL, run,
		sql.Named("source", string(b.Source)),
		sql.Named("window_from", nullTime(b.WindowFrom)),
		sql.Named("window_to", nullTime(b.WindowTo)),
		sql.Named("objects", string(objects)),
		sql.Named("rows", int64(b.Rows)),
		sql.Named("staged", int64(l.res.Staged)),
		sql.Named("inserted", int64(l.res.Inserted)),
		sql.Named("updated", int64(l.res.Updated)),
		sql.Named("unchanged", int64(l.res.Unchanged)),
		sql.Named("loaded_at", l.loadedAt),
		clock,
	); err != nil {
		return fmt.Errorf("record load: %w", err)
	}
	return nil
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
