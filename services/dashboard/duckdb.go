//go:build !cloud

package main

import (
	"jobpulse/pkg/warehouse/duckdb"
)

// openDuckDB reads the embedded warehouse's file (local runs; the cloud
// image, built with -tags cloud, has no DuckDB).
func openDuckDB(path string) (source, func() error, error) {
	s := duckdb.NewFileSnapshotter(path)
	return s, s.Close, nil
}
