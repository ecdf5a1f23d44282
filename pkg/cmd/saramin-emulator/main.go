// Command saramin-emulator serves the Saramin job-search API emulator
// (package saramintest) on a local address for the local stack: GET
// /job-search with the real API's parameters and answer shape, and the
// /_emulator/ admin endpoints for the clock, faults, stats and the truth
// (every posting served at the clock, in its state then).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"jobpulse/pkg/saramin/saramintest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := realMain(ctx, logger, os.Args[1:]); err != nil {
		logger.Error("saramin-emulator failed", "error", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("saramin-emulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	seed := fs.Int64("seed", 42, "market seed")
	now := fs.String("now", "", "emulator clock, RFC3339 (default: the current hour)")
	history := fs.Int("history-days", saramintest.DefaultHistoryDays, "days of history before the clock (at least 365)")
	quota := fs.Int("quota", saramintest.DefaultDailyQuota, "calls per key per KST day (negative: unlimited)")
	keys := fs.String("keys", saramintest.DefaultKey, "accepted access keys, comma-separated")
	scale := fs.Float64("scale", 1, "posting volume multiplier")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	opts := saramintest.Options{Seed: *seed, HistoryDays: *history, DailyQuota: *quota, Scale: *scale,
		Now: time.Now().Truncate(time.Hour)}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("flag -now: %w", err)
		}
		opts.Now = t
	}
	for _, k := range strings.Split(*keys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			opts.Keys = append(opts.Keys, k)
		}
	}

	start := time.Now()
	emu, handler, err := saramintest.NewHandler(opts)
	if err != nil {
		return fmt.Errorf("saramintest.NewHandler: %w", err)
	}
	stats := emu.Stats()
	logger.Info("market generated", "took", time.Since(start).Round(time.Millisecond), "postings", stats.Postings,
		"visible", stats.Visible, "now", stats.Now.Format(time.RFC3339), "seed", opts.Seed)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "url", "http://"+ln.Addr().String()+"/job-search", "keys", opts.Keys, "quota", opts.DailyQuota)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
