package bigquery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/warehouse"
)

// LoadTrends loads b's trend rows (trends.Row per line) in two steps, as
// LoadRecruit does. First one load job per object, from gs://bucket/object
// into a fresh per-load table (explicit schema, NDJSON, unknown keys
// ignored, no bad record tolerated). Then one script (sql/load_trend.sql),
// a single transaction: replace the objects' rows in staging.google_trend,
// reject rows without keyword, period or request id, MERGE into
// external.google_trend (identical rows untouched, changed rows replaced),
// rebuild core.google_trend for the touched keywords and record the load in
// staging.indicator_loads. A failed load job or script changes nothing;
// the per-load tables are dropped either way. src is not read: the objects
// load from the bucket.
func (w *Warehouse) LoadTrends(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" {
		return warehouse.Result{}, errors.New("bigquery.LoadTrends: batch has no run id")
	}
	if w.bucket == "" {
		return warehouse.Result{}, errors.New("bigquery.LoadTrends: no bucket (Option WithBucket)")
	}
	res, err := w.loadTrends(ctx, b)
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("bigquery.LoadTrends run %s: %w", b.RunID, err)
	}
	return res, nil
}

func (w *Warehouse) loadTrends(ctx context.Context, b warehouse.Batch) (res warehouse.Result, err error) {
	loadedAt := w.now().UTC().Truncate(time.Microsecond)
	rows, err := loadIndicator[counts](ctx, w, "trend", "trend", b, trendLoadSchema, "load_trend", indicatorParams(b, loadedAt), loadedAt)
	if err != nil {
		if strings.Contains(err.Error(), invalidRowMarker) {
			return res, fmt.Errorf("%w: %v", warehouse.ErrInvalidRow, err)
		}
		return res, err
	}
	if err := rows[0].into(&res, "trend script"); err != nil {
		return res, err
	}
	return res, nil
}

// loadIndicator loads b's objects into per-load tables of schema (named
// and labelled by kind, dropped when it returns), checks their row count
// against b's, and runs the script sql/<script>.sql over them (assemble)
// with params. It returns the script's result rows (at least one; the
// first's staged count is the load jobs').
func loadIndicator[T answer](ctx context.Context, w *Warehouse, kind, name string, b warehouse.Batch, schema bq.Schema, script string, params map[string]any, loadedAt time.Time) ([]T, error) {
	tables, staged, drop, err := w.loadObjects(ctx, "load_"+kind, "load_"+kind+"_"+ident(b.RunID)+"_"+nonce(), b, schema, loadedAt)
	defer drop()
	if err != nil {
		return nil, err
	}
	if b.Rows > 0 && staged != b.Rows {
		return nil, fmt.Errorf("%w: staged %d rows, batch says %d", warehouse.ErrRowCount, staged, b.Rows)
	}
	rows, err := read[T](ctx, w, kind+"_"+ident(b.RunID), assemble(script, tables), params)
	if err != nil {
		return nil, fmt.Errorf("%s script: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s script: no result row", name)
	}
	if s := rows[0].staged(); int(s) != staged {
		return nil, fmt.Errorf("%s script staged %d rows, load jobs %d", name, s, staged)
	}
	return rows, nil
}

// ReplaceCertifications replaces the certification data set with b's rows
// (cert.Stat per line): one load job per object into per-load tables, then
// one script (sql/load_certification.sql), a single transaction: unless
// the loaded set is newer than b.WindowTo (then nothing changes and every
// row counts as unchanged), run the checks of check_certification.sql
// (a failure rolls back and returns a *warehouse.CheckError), replace
// external.certification then core.certification, and record the load in
// staging.indicator_loads. Any error leaves the previous set in place.
// src is not read: the objects load from the bucket.
func (w *Warehouse) ReplaceCertifications(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" || b.WindowTo.IsZero() {
		return warehouse.Result{}, errors.New("bigquery.ReplaceCertifications: batch has no run id or window end")
	}
	if w.bucket == "" {
		return warehouse.Result{}, errors.New("bigquery.ReplaceCertifications: no bucket (Option WithBucket)")
	}
	res, err := w.replaceCertifications(ctx, b)
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("bigquery.ReplaceCertifications run %s: %w", b.RunID, err)
	}
	return res, nil
}

func (w *Warehouse) replaceCertifications(ctx context.Context, b warehouse.Batch) (res warehouse.Result, err error) {
	loadedAt := w.now().UTC().Truncate(time.Microsecond)
	params := indicatorParams(b, loadedAt)
	params["as_of"] = b.WindowTo.UTC()
	rows, err := loadIndicator[certAnswer](ctx, w, "cert", "certification", b, certLoadSchema, "load_certification", params, loadedAt)
	if err != nil {
		return res, err
	}
	row := rows[0]
	res.Staged = int(row.Staged)
	if row.Stale {
		// An older run (a replay): the newer set stays.
		res.Unchanged = res.Staged
		return res, nil
	}
	if res.Checks, err = scriptChecks(rows, func(r certAnswer) checked { return r.checked }); err != nil {
		return res, fmt.Errorf("certification script: %w", err)
	}
	if row.FailedChecks {
		// The script rolled back: the loaded set stays.
		return res, &warehouse.CheckError{RunID: b.RunID, Checks: res.Checks}
	}
	if len(res.Checks) == 0 {
		return res, errors.New("certification script: no data check ran")
	}
	if err := row.into(&res, "certification script"); err != nil {
		return res, err
	}
	return res, nil
}

// certAnswer is a row of load_certification.sql's answer.
type certAnswer struct {
	counts
	Stale bool `bigquery:"stale"`
	checked
}

// indicatorParams are the parameters both indicator scripts take. @batch
// keys the staging.indicator_loads row as DuckDB keys it
// (warehouse.BatchKey).
func indicatorParams(b warehouse.Batch, loadedAt time.Time) map[string]any {
	return map[string]any{
		"run_id":      b.RunID,
		"source":      string(b.Source),
		"objects":     append([]string{}, b.Objects...),
		"batch":       warehouse.BatchKey(b.Objects),
		"window_from": nullTime(b.WindowFrom),
		"window_to":   nullTime(b.WindowTo),
		"loaded_at":   loadedAt,
	}
}

// loadObjects creates one per-load table per object of b in staging
// (<prefix>_<i>, schema, 24 h expiration; at least one, so an empty batch
// runs the same script) and loads each object into its table by one load
// job labelled label, all at once. Every load uses it: the postings
// (prefix load_<run>_<nonce>), the trends and the certifications
// (load_<kind>_<run>_<nonce>). It returns the tables' full names,
// the rows the jobs loaded, and drop, which deletes the tables (best
// effort: they expire anyway) and must be called whatever the error.
func (w *Warehouse) loadObjects(ctx context.Context, label, prefix string, b warehouse.Batch, schema bq.Schema, loadedAt time.Time) (tables []string, staged int, drop func(), err error) {
	names := make([]string, max(len(b.Objects), 1))
	for i := range names {
		names[i] = fmt.Sprintf("%s_%d", prefix, i)
	}
	drop = func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		for _, name := range names {
			_ = w.client.Dataset("staging").Table(name).Delete(dctx)
		}
	}
	for _, name := range names {
		md := &bq.TableMetadata{Schema: schema, ExpirationTime: loadedAt.Add(loadTableTTL)}
		if err := w.client.Dataset("staging").Table(name).Create(ctx, md); err != nil {
			return nil, 0, drop, fmt.Errorf("create load table %s: %w", name, err)
		}
	}
	counts := make([]int64, len(b.Objects))
	errs := make([]error, len(b.Objects))
	var wg sync.WaitGroup
	for i, obj := range b.Objects {
		wg.Go(func() { counts[i], errs[i] = w.loadObject(ctx, label, b.RunID, obj, names[i], schema) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, 0, drop, err
	}
	for _, n := range counts {
		staged += int(n)
	}
	tables = make([]string, len(names))
	for i, name := range names {
		tables[i] = w.project + ".staging." + name
	}
	return tables, staged, drop, nil
}
