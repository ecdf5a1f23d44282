// Command dashboard serves the data-job market at a glance over the
// warehouse (a Cloud Run service in production, part of `make demo`
// locally). See package jobpulse/pkg/dashboard.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/bigquery"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	log, err := realMain(ctx, os.Args[1:])
	stop()
	cli.Exit("dashboard", err, log)
}

// source is a warehouse the dashboard shows: its snapshot, and the pages
// of postings of its grid.
type source interface {
	warehouse.Snapshotter
	warehouse.PostingReader
}

// openWarehouse opens the warehouse the dashboard shows.
func openWarehouse(ctx context.Context, cfg dashboard.Config) (source, func() error, error) {
	switch cfg.Warehouse {
	case "duckdb":
		return openDuckDB(cfg.DuckDBPath)
	case "bigquery":
		if cfg.Project == "" {
			return nil, nil, errors.New("WAREHOUSE=bigquery needs GOOGLE_CLOUD_PROJECT")
		}
		w, err := bigquery.Open(ctx, cfg.Project, cfg.BQLocation)
		if err != nil {
			return nil, nil, err
		}
		return w, w.Close, nil
	default:
		return nil, nil, fmt.Errorf("warehouse %q: want duckdb or bigquery", cfg.Warehouse)
	}
}

func realMain(ctx context.Context, args []string) (*slog.Logger, error) {
	var cfg dashboard.Config
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	addr := fs.String("addr", "", "address to serve on (overrides DASHBOARD_ADDR)")
	job := cli.Job{Name: "dashboard", Summary: "serve the dashboard and its API over the warehouse", Config: &cfg, Flags: fs}
	if err := cli.Parse(ctx, job, args, nil, os.Stderr); err != nil {
		return nil, err
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	if p := os.Getenv("PORT"); p != "" && *addr == "" {
		cfg.Addr = ":" + p
	}
	log := logging.New(os.Stderr, logging.Options{Format: logging.Format(cfg.LogFormat), Level: logging.ParseLevel(cfg.LogLevel)})
	src, closeSrc, err := openWarehouse(ctx, cfg)
	if err != nil {
		return log, err
	}
	defer closeSrc()
	store := dashboard.NewStore(src, log, dashboard.WithPostings(src))
	// Locally a warehouse that cannot be read is a wrong DUCKDB_PATH: say
	// so and stop. A Cloud Run service opens its port at once (BigQuery
	// may take a while, and before the first load there are no tables)
	// and answers 503 until Watch has read a snapshot.
	if cfg.Warehouse != "bigquery" {
		if _, err := store.Refresh(ctx); err != nil {
			return log, err
		}
	}
	go store.Watch(ctx, cfg.Refresh)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return log, fmt.Errorf("dashboard: %w", err)
	}
	return log, dashboard.Serve(ctx, ln, dashboard.NewServer(store, log), log)
}
