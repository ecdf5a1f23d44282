// Command dashboard serves the data-job market at a glance over the
// warehouse (a Cloud Run service in production, part of `make demo`
// locally). See package jobpulse/pkg/dashboard.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/warehouse/engine"
)

func main() { cli.Main("dashboard", realMain) }

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
	log := cfg.Logger(os.Stderr, "")
	src, err := engine.OpenReader(ctx, cfg.Warehouse, cfg.Project)
	if err != nil {
		return log, err
	}
	defer src.Close()
	store := dashboard.NewStore(src, log, dashboard.WithPostings(src))
	// Locally a warehouse that cannot be read is a wrong DUCKDB_PATH: say
	// so and stop. A Cloud Run service opens its port at once (BigQuery
	// may take a while, and before the first load there are no tables)
	// and answers 503 until Watch has read a snapshot.
	if cfg.Warehouse.Kind != engine.BigQuery {
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
