package stack

import (
	"context"
	"fmt"
	"log/slog"
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
	go store.Watch(ctx, 3*time.Second)
	errc := make(chan error, 1)
	go func() {
		errc <- dashboard.Serve(ctx, s.Opts.DashboardAddr, dashboard.NewServer(store, log), log)
		w.Close()
	}()
	// A port already taken fails at once; say so instead of serving nothing.
	select {
	case err := <-errc:
		return fmt.Errorf("stack: dashboard: %w", err)
	case <-time.After(200 * time.Millisecond):
	}
	fmt.Fprintf(s.Opts.Out, "dashboard  http://%s (refreshed as the loads land; log: %s)\n", s.Opts.DashboardAddr, w.Filename)
	return nil
}
