//go:build !cloud

package load

import "jobpulse/pkg/warehouse/duckdb"

// Options are the DuckDB options these settings give: the engine's bounds
// and the chunk size of a load. The cloud build, which has no DuckDB, has
// no such method.
func (d DuckDBConfig) Options() []duckdb.Option {
	return []duckdb.Option{
		duckdb.WithSettings(duckdb.Settings{MemoryLimit: d.MemoryLimit, ReadMemoryLimit: d.ReadMemoryLimit, Threads: d.Threads,
			PreserveInsertionOrder: d.PreserveInsertionOrder, BlockSize: d.BlockSize, AllocatorFlush: d.AllocatorFlush,
			RowGroupSize: d.RowGroupSize, CompactEvery: d.CompactEvery}),
		duckdb.WithChunkRows(d.ChunkRows),
	}
}
