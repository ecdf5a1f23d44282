package duckdb

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"

	"jobpulse/pkg/warehouse"
)

var (
	//go:embed sql/checks_staged.sql
	checksStagedSQL string
	//go:embed sql/checks_core.sql
	checksCoreSQL string
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
