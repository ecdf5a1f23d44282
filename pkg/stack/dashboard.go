package stack

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/warehouse/duckdb"
)

// serveDashboard serves the dashboard over the stack's warehouse on
// Options.DashboardAddr until ctx ends, refreshing its snapshot as the
// loads land. Its log goes to logs/dashboard.log (rotated at 1 MB).
func (s *Stack) serveDashboard(ctx context.Context) error {
	w := &lumberjack.Logger{Filename: filepath.Join(s.Runner.LogDir, "dashboard.log"), MaxSize: 1, MaxBackups: 1}
	log := logging.New(w, logging.Options{Format: logging.FormatJSON, Level: slog.LevelInfo})
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(s.Opts.DuckDBPath()), log)
	if _, err := store.Refresh(ctx); err != nil {
		w.Close()
		return err
	}
	// A port already taken fails here, before anything runs.
	ln, err := net.Listen("tcp", s.Opts.DashboardAddr)
	if err != nil {
		w.Close()
		return fmt.Errorf("stack: dashboard: %w", err)
	}
	go store.Watch(ctx, 3*time.Second)
	go func() {
		if err := dashboard.Serve(ctx, ln, dashboard.NewServer(store, log), log); err != nil {
			log.Error("dashboard stopped", "error", err)
		}
		w.Close()
	}()
	fmt.Fprintf(s.Opts.Out, "dashboard  http://%s (refreshed as the loads land; log: %s)\n", s.Opts.DashboardAddr, w.Filename)
	return nil
}
