package bigquery

import (
	"context"
	"fmt"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/warehouse"
)

var checksAllSQL = statements.Get("checks_all")

// CheckAll checks the whole warehouse: the newest load is at most maxAge
// old at now, external holds each staged posting once in its newest
// version (sql/checks_all.sql), and core matches external
// (../sqlrules/sql/checks_core.sql, the checks every load runs too).
func (w *Warehouse) CheckAll(ctx context.Context, now time.Time, maxAge time.Duration) ([]warehouse.Check, error) {
	all, err := w.runChecks(ctx, "warehouse", checksAllSQL, map[string]any{
		"now": now.UTC(), "max_age_seconds": maxAge.Seconds(),
	})
	if err != nil {
		return nil, fmt.Errorf("bigquery.CheckAll: %w", err)
	}
	core, err := w.runChecks(ctx, "core", statements.Get("checks_core"), nil)
	if err != nil {
		return nil, fmt.Errorf("bigquery.CheckAll: %w", err)
	}
	return append(all, core...), nil
}

// runChecks runs one checks query: each row is a check (name, failed,
// example).
func (w *Warehouse) runChecks(ctx context.Context, layer, sql string, params map[string]any) ([]warehouse.Check, error) {
	// A check whose count is NULL fails the read: it must not pass as 0.
	rows, err := read[struct {
		Name    string        `bigquery:"name"`
		Failed  int64         `bigquery:"failed"`
		Example bq.NullString `bigquery:"example"`
	}](ctx, w, "checks_"+layer, sql, params)
	if err != nil {
		return nil, fmt.Errorf("checks (%s): %w", layer, err)
	}
	out := make([]warehouse.Check, 0, len(rows))
	for _, r := range rows {
		out = append(out, warehouse.Check{Layer: layer, Name: r.Name, Failed: r.Failed, Example: r.Example.StringVal})
	}
	return out, nil
}
