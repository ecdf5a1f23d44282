//go:build cloud

package engine

import (
	"context"
	"errors"

	"jobpulse/pkg/warehouse"
)

// errNoDuckDB refuses WAREHOUSE=duckdb in the cloud build.
var errNoDuckDB = errors.New("warehouse duckdb: this build has no DuckDB (built with -tags cloud); set WAREHOUSE=bigquery")

func openDuckDB(context.Context, string, Options) (warehouse.Warehouse, error) {
	return nil, errNoDuckDB
}

func openDuckDBReader(string) (Reader, error) { return nil, errNoDuckDB }

// ReturnFreed does nothing: the cloud build has no DuckDB allocator to
// configure.
func ReturnFreed() error { return nil }
