package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"jobpulse/pkg/warehouse"
)

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// runChecks runs one checks query: each row is a check with its failed
// count and an example.
func runChecks(ctx context.Context, q querier, layer, query string, args ...any) ([]warehouse.Check, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("checks (%s): %w", layer, err)
	}
	defer rows.Close()
	var out []warehouse.Check
	for rows.Next() {
		c := warehouse.Check{Layer: layer}
		var example sql.NullString
		if err := rows.Scan(&c.Name, &c.Failed, &example); err != nil {
			return nil, fmt.Errorf("checks (%s): %w", layer, err)
		}
		c.Example = example.String
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checks (%s): %w", layer, err)
	}
	return out, nil
}

// CheckAll checks the whole warehouse: the newest load is at most maxAge
// old at now, external holds each staged posting once in its newest
// version, and core matches external.
func (w *Warehouse) CheckAll(ctx context.Context, now time.Time, maxAge time.Duration) ([]warehouse.Check, error) {
	all, err := runChecks(ctx, w.db, "warehouse", checksAllSQL,
		sql.Named("now", now.UTC()), sql.Named("max_age_seconds", maxAge.Seconds()))
	if err != nil {
		return nil, err
	}
	layers, err := runChecks(ctx, w.db, "core", checksCoreSQL)
	if err != nil {
		return nil, err
	}
	return append(all, layers...), nil
}
