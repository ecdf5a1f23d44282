package engine

import "time"

// DuckDBConfig bounds the embedded warehouse (WAREHOUSE=duckdb) the loader
// writes, whose own defaults take 80% of the machine's memory and every
// core. With these defaults the loader peaks near 130 MiB on an hourly load and 195 MiB on a
// backfill of 100,000 postings (the README's performance table).
type DuckDBConfig struct {
	MemoryLimit            string        `env:"DUCKDB_MEMORY_LIMIT, default=64MB" help:"cap on DuckDB's buffer manager (DuckDB sizes: 64MB, 1GiB) but while a lake object is read; beyond it joins and uncommitted rows spill to <DUCKDB_PATH>.tmp, and DuckDB keeps the blocks it read cached up to it. At 48MB a backfill's core refresh still fits, but make e2e's drifted batches run out of memory in it"`
	ReadMemoryLimit        string        `env:"DUCKDB_READ_MEMORY_LIMIT, default=80MB" help:"DuckDB's memory limit while its JSON reader reads a lake object, which takes a 32 MiB buffer whatever the object's size (empty: DUCKDB_MEMORY_LIMIT throughout)"`
	Threads                int           `env:"DUCKDB_THREADS, default=1" help:"threads DuckDB runs a query on (0: every core)"`
	PreserveInsertionOrder bool          `env:"DUCKDB_PRESERVE_INSERTION_ORDER, default=false" help:"keep rows in order through every operator (DuckDB's default); needed for staging's source_line to follow the file when DUCKDB_THREADS is not 1"`
	BlockSize              int           `env:"DUCKDB_BLOCK_SIZE, default=16384" help:"block size in bytes of a warehouse file the loader creates (DuckDB's default 262144); an existing file keeps its own. Each insert holds a block per column of the table"`
	AllocatorFlush         string        `env:"DUCKDB_ALLOCATOR_FLUSH, default=1MB" help:"DuckDB hands its allocator's cached memory back to the system after a task that allocated more than this, or a free of more (DuckDB's defaults: 128MB and 512MB, held outside DUCKDB_MEMORY_LIMIT)"`
	RowGroupSize           int           `env:"DUCKDB_ROW_GROUP_SIZE, default=8192" help:"rows in a row group of the warehouse file, a multiple of 2048 (0: DuckDB's 122880): a checkpoint rewrites each row group a load touched, so a backfill's chunks rewrite their own rows rather than whole tables. Keep it the same from load to load: a file opened with another size has its row groups rewritten at the next checkpoint"`
	CompactEvery           time.Duration `env:"DUCKDB_COMPACT_EVERY, default=24h" help:"how often the loader compacts the warehouse file as it closes it (DuckDB's vacuum: row groups with deleted rows and the small ones each load starts merged into full ones); between compactions checkpoints skip the vacuum, whose cost grows with the warehouse (0: vacuum at every checkpoint, DuckDB's default)"`
	ChunkRows              int           `env:"DUCKDB_CHUNK_ROWS, default=2000" help:"rows a load holds in one transaction: a larger batch (a backfill) is staged and merged in chunks of this many, each committed; so are the expired postings a large batch closes and the rebuild of core after a code-table change"`
}
