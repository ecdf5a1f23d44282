// Command loader is the loader Cloud Run job: it drains the clean-file
// announcements and loads each batch into the warehouse, one row per posting
// in its latest version. See package jobpulse/pkg/load.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/health"
	"jobpulse/pkg/lease"
	"jobpulse/pkg/load"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/engine"
)

func main() {
	// DuckDB's allocator returns freed memory at once: the loader runs
	// again in place with it configured. A failed exec only costs memory.
	if err := engine.ReturnFreed(); err != nil {
		fmt.Fprintln(os.Stderr, "loader:", err)
	}
	collectOften()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The heartbeat names the mode: a health check or a warehouse check
	// that ends well is no sign that loads do.
	mode := "loader"
	log, err := realMain(ctx, os.Args[1:], &mode)
	stop()
	cli.Exit(mode, err, log)
}

// idle is the heartbeat of an execution that ended without loading (a
// sweep with nothing waiting, or another execution holding the lease): it
// must not count as a load that went well.
const idle = "loader-idle"

func realMain(ctx context.Context, args []string, mode *string) (*slog.Logger, error) {
	var cfg load.JobConfig
	fs := flag.NewFlagSet("loader", flag.ContinueOnError)
	maxMessages := fs.Int("max-messages", -1, "messages handled by this execution at most (overrides DRAIN_MAX_MESSAGES)")
	check := fs.Bool("check", false, "check the whole warehouse (freshness, duplicates, layers) instead of loading; exits 1 when a check fails")
	sweep := fs.Bool(cli.SweepFlag, false, cli.SweepHelp)
	healthCheck := fs.Bool("health", false, "run the health check instead of loading (every 3 hours): report problems to Slack and email, and a daily all-clear")
	job := cli.Job{Name: "loader", Summary: "load announced clean files into the warehouse and merge them; --check and --health check instead", Config: &cfg, Flags: fs}
	if err := cli.Parse(ctx, job, args, nil, os.Stderr); err != nil {
		return nil, err
	}
	if *maxMessages >= 0 {
		cfg.MaxMessages = *maxMessages
	}
	switch {
	case *check:
		*mode = "loader-check"
	case *healthCheck:
		*mode = "loader-health"
	}
	x, log, err := cfg.Start(ctx, "loader", cfg.Crash, load.StopPoints)
	if err != nil {
		return log, err
	}
	defer x.Close()
	if *check || *healthCheck {
		return log, inspect(ctx, cfg, x, *healthCheck)
	}
	if *sweep {
		if waiting, err := x.Waiting(ctx, cfg.Subscription, log); err != nil || !waiting {
			*mode = idle
			return log, err
		}
	}
	// One loader loads at a time: the others leave the messages to it.
	err = load.Exclusive(ctx, x.Lake, x.ID, cfg.LeaseTTL, log, func(ctx context.Context) error {
		wh, err := openWarehouse(ctx, cfg, log)
		if err != nil {
			return err
		}
		// Closing checkpoints the file, and compacts it once a day; what a
		// failed close leaves is in DuckDB's log, replayed at the next open.
		defer func() {
			if err := wh.Close(); err != nil {
				log.Warn("closing the warehouse failed", "error", err.Error())
			}
		}()
		l := &load.Loader{Cfg: cfg.Config, Lake: x.Lake, Bus: x.Bus, Warehouse: wh, Now: time.Now, Log: log, Project: cfg.Project, Execution: x.ID, Notify: x.Notify, Stop: x.Stop}
		sum, err := l.Run(ctx)
		log.Info("loader done", "messages", sum.Messages, "staged", sum.Staged, "inserted", sum.Inserted, "quarantined", sum.Quarantined, "checks_passed", sum.Run.ChecksPassed, "checks_failed", sum.Run.ChecksFailed,
			"updated", sum.Updated, "unchanged", sum.Unchanged, "poison", sum.Poison, "duration", sum.Duration)
		return err
	})
	var held *lease.HeldError
	if errors.As(err, &held) {
		log.Info("another loader execution is loading and drains the subscription; this one leaves the messages to it",
			"holder", held.Holder, "lease_until", held.Until)
		*mode = idle
		return log, nil
	}
	return log, err
}

// inspect runs --check or --health: they read the warehouse, and run
// beside a load.
func inspect(ctx context.Context, cfg load.JobConfig, x *cli.Execution, healthCheck bool) error {
	log := x.Log
	wh, err := openWarehouse(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer wh.Close()
	if healthCheck {
		hc := &health.Checker{Cfg: cfg.Health, Lake: x.Lake, Loads: wh, Bus: x.Bus, Notify: x.Notify, Now: time.Now, Log: log, Execution: x.ID}
		rep, err := hc.Run(ctx)
		log.Info("health done", "ok", rep.OK(), "problems", len(rep.Findings), "executions", rep.Executions, "recovered", rep.Recovered)
		return err
	}
	l := &load.Loader{Cfg: cfg.Config, Lake: x.Lake, Bus: x.Bus, Warehouse: wh, Now: time.Now, Log: log, Project: cfg.Project, Execution: x.ID, Notify: x.Notify}
	checks, err := l.Check(ctx)
	passed, failed := warehouse.Counts(checks)
	log.Info("check done", "passed", passed, "failed", failed)
	return err
}

// collectOften makes the Go runtime collect when its heap has grown by 20%
// rather than 100%, unless GOGC says otherwise. The loader's Go heap is
// small beside DuckDB (about 6 MB live), but what it allocates before a load
// (clients, meta, messages) reached 24 MB between collections, and the
// pages stay resident. Measured on the hourly run's peak: about 3 MiB less,
// for a few more collections of a small heap.
func collectOften() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(20)
	}
}

// openWarehouse opens the warehouse the loader writes.
func openWarehouse(ctx context.Context, cfg load.JobConfig, log *slog.Logger) (warehouse.Warehouse, error) {
	return engine.Open(ctx, cfg.Warehouse, engine.Options{Project: cfg.Project, Bucket: cfg.Bucket, DuckDB: cfg.DuckDB, Log: log})
}
