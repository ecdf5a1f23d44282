//go:build !cloud

package main

import (
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
)

// openDuckDB reads the embedded warehouse's file (local runs; the cloud
// image, built with -tags cloud, has no DuckDB).
func openDuckDB(path string) (warehouse.Snapshotter, func() error, error) {
	return duckdb.NewFileSnapshotter(path), func() error { return nil }, nil
}
