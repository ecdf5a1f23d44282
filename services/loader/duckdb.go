//go:build !cloud

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"jobpulse/pkg/load"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
)

// openDuckDB opens the embedded warehouse (local runs; the cloud image,
// built with -tags cloud, has no DuckDB).
func openDuckDB(ctx context.Context, cfg load.Config, log *slog.Logger) (warehouse.Warehouse, error) {
	if dir := filepath.Dir(cfg.DuckDBPath); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("warehouse: %w", err)
		}
	}
	// The dashboard holds the file for the moment it copies it: wait.
	opts := append([]duckdb.Option{duckdb.WithClassifier(classify), duckdb.WithLockWait(30 * time.Second), duckdb.WithLog(log)},
		cfg.DuckDB.Options()...)
	return duckdb.Open(ctx, cfg.DuckDBPath, opts...)
}

// returnFreed makes DuckDB's allocator return freed memory at once
// (duckdb.ExecReturningFreed), unless DUCKDB_JE_MALLOC_CONF says otherwise:
// the loader runs again in place with it set. A failed exec only costs
// memory.
func returnFreed() {
	if err := duckdb.ExecReturningFreed(); err != nil {
		fmt.Fprintln(os.Stderr, "loader:", err)
	}
}
