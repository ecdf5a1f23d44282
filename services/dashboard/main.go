// Command dashboard serves the data-job market at a glance over the
// warehouse (a Cloud Run service in production, part of `make demo`
// locally). See package jobpulse/pkg/dashboard.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/logging"
)

type config struct {
	Addr       string        `env:"DASHBOARD_ADDR, default=127.0.0.1:8080" help:"address to serve on (Cloud Run: :$PORT)"`
	DuckDBPath string        `env:"DUCKDB_PATH, default=.local/warehouse.duckdb" help:"DuckDB database file of the warehouse"`
	Refresh    time.Duration `env:"DASHBOARD_REFRESH, default=10s" help:"how often to look for a newer warehouse"`
	LogLevel   string        `env:"LOG_LEVEL, default=info" help:"debug, info, warn or error"`
	LogFormat  string        `env:"LOG_FORMAT, default=auto" help:"auto (JSON in Cloud Run, text elsewhere), text or json"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	log, err := realMain(ctx, os.Args[1:])
	stop()
	cli.Exit("dashboard", err, log)
}

func realMain(ctx context.Context, args []string) (*slog.Logger, error) {
	var cfg config
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
	store, err := dashboard.OpenStore(cfg.DuckDBPath, log)
	if err != nil {
		return log, err
	}
	defer store.Close()
	if _, err := store.Refresh(ctx); err != nil {
		return log, err
	}
	go store.Watch(ctx, cfg.Refresh)
	return log, dashboard.Serve(ctx, cfg.Addr, dashboard.NewServer(store, log), log)
}
