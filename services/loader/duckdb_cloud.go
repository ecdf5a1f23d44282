//go:build cloud

package main

import (
	"context"
	"errors"
	"log/slog"

	"jobpulse/pkg/load"
	"jobpulse/pkg/warehouse"
)

// openDuckDB refuses: the cloud image carries no DuckDB (WAREHOUSE=bigquery).
func openDuckDB(context.Context, load.Config, *slog.Logger) (warehouse.Warehouse, error) {
	return nil, errors.New("warehouse duckdb: this build has no DuckDB (built with -tags cloud); set WAREHOUSE=bigquery")
}

// returnFreed does nothing: there is no DuckDB allocator to configure.
func returnFreed() {}
