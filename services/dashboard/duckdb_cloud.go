//go:build cloud

package main

import (
	"errors"
)

// openDuckDB refuses: the cloud image carries no DuckDB (WAREHOUSE=bigquery).
func openDuckDB(string) (source, func() error, error) {
	return nil, nil, errors.New("warehouse duckdb: this build has no DuckDB (built with -tags cloud); set WAREHOUSE=bigquery")
}
