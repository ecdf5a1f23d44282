//go:build !cloud

package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
)

// lockWait is how long Open waits for a DuckDB file another process holds:
// the dashboard holds it for the moment it copies it.
const lockWait = 30 * time.Second

// Options are the DuckDB options these settings give: the engine's bounds
// and the chunk size of a load.
func (d DuckDBConfig) Options() []duckdb.Option {
	return []duckdb.Option{
		duckdb.WithSettings(duckdb.Settings{MemoryLimit: d.MemoryLimit, ReadMemoryLimit: d.ReadMemoryLimit, Threads: d.Threads,
			PreserveInsertionOrder: d.PreserveInsertionOrder, BlockSize: d.BlockSize, AllocatorFlush: d.AllocatorFlush,
			RowGroupSize: d.RowGroupSize, CompactEvery: d.CompactEvery}),
		duckdb.WithChunkRows(d.ChunkRows),
	}
}

func openDuckDB(ctx context.Context, path string, o Options) (warehouse.Warehouse, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("warehouse: %w", err)
		}
	}
	opts := append([]duckdb.Option{duckdb.WithLockWait(lockWait), duckdb.WithLog(o.Log)}, o.DuckDB.Options()...)
	return duckdb.Open(ctx, path, opts...)
}

func openDuckDBReader(path string) (Reader, error) { return duckdb.NewFileSnapshotter(path), nil }

// ReturnFreed makes DuckDB's allocator return freed memory at once
// (duckdb.ExecReturningFreed): the program runs again, in place, with the
// allocator configured, unless its environment already configures it. Call
// it first thing in main. A failed exec only costs memory: it is reported
// and the program goes on.
func ReturnFreed() error { return duckdb.ExecReturningFreed() }
