// Package engine opens the warehouse a job is configured for: the embedded
// DuckDB file (local runs and tests) or BigQuery (production). It is the one
// place that knows both engines and their settings; package warehouse, whose
// interfaces both engines implement, cannot import them.
//
// DuckDB links a C++ library of about 100 MB, so it is built only without
// the cloud build tag; the cloud images (built with -tags cloud) carry
// BigQuery alone and refuse WAREHOUSE=duckdb at start.
package engine

import (
	"context"
	"fmt"
	"log/slog"

	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/bigquery"
)

// Kind names a warehouse engine (WAREHOUSE).
type Kind string

// The engines.
const (
	DuckDB   Kind = "duckdb"
	BigQuery Kind = "bigquery"
)

// UnmarshalText accepts the engines' names only, so a wrong WAREHOUSE fails
// as the job reads its configuration.
func (k *Kind) UnmarshalText(b []byte) error {
	if err := Kind(b).check(); err != nil {
		return err
	}
	*k = Kind(b)
	return nil
}

// check refuses a name that is no engine's.
func (k Kind) check() error {
	switch k {
	case DuckDB, BigQuery:
		return nil
	default:
		return fmt.Errorf("warehouse %q: want %s or %s", string(k), DuckDB, BigQuery)
	}
}

// Config says which warehouse a job reads or writes, and where it is.
type Config struct {
	Kind       Kind   `env:"WAREHOUSE, default=duckdb" help:"warehouse engine: duckdb (embedded) or bigquery"`
	DuckDBPath string `env:"DUCKDB_PATH, default=.local/warehouse.duckdb" help:"DuckDB database file of the warehouse (WAREHOUSE=duckdb)"`
	BQLocation string `env:"BQ_LOCATION, default=asia-northeast3" help:"BigQuery location of the datasets (WAREHOUSE=bigquery)"`
}

// Options are what opening a warehouse for loading takes besides Config.
type Options struct {
	Project string // GCP project of the BigQuery datasets
	Bucket  string // the lake's bucket, from which BigQuery loads objects
	// DuckDB bounds the embedded engine (ignored by BigQuery).
	DuckDB DuckDBConfig
	// Log is told when Open waits for a DuckDB file another process holds,
	// and when Close compacts it.
	Log *slog.Logger
}

// Open opens the warehouse for loading and checking. A DuckDB file's
// directory is created if missing.
func Open(ctx context.Context, cfg Config, o Options) (warehouse.Warehouse, error) {
	switch cfg.Kind {
	case DuckDB, "":
		return openDuckDB(ctx, cfg.DuckDBPath, o)
	case BigQuery:
		w, err := bigquery.Open(ctx, o.Project, cfg.BQLocation, bigquery.WithBucket(o.Bucket))
		if err != nil {
			return nil, fmt.Errorf("warehouse: %w", err)
		}
		return w, nil
	default:
		return nil, cfg.Kind.check()
	}
}

// Reader is what the dashboard reads: the snapshot of its figures and the
// pages of postings of its grid.
type Reader interface {
	warehouse.Snapshotter
	warehouse.PostingReader
	Close() error
}

// OpenReader opens the warehouse for the dashboard, which reads while the
// loader writes: a DuckDB file is read from a copy, taken whenever it
// changed.
func OpenReader(ctx context.Context, cfg Config, project string) (Reader, error) {
	switch cfg.Kind {
	case DuckDB, "":
		return openDuckDBReader(cfg.DuckDBPath)
	case BigQuery:
		w, err := bigquery.Open(ctx, project, cfg.BQLocation)
		if err != nil {
			return nil, fmt.Errorf("warehouse: %w", err)
		}
		return w, nil
	default:
		return nil, cfg.Kind.check()
	}
}
