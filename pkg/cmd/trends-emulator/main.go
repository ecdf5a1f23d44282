// Command trends-emulator serves the Google Trends emulator (package
// trendstest; synthetic data) on a local address for the local stack.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/trends/trendstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := realMain(ctx, logger, os.Args[1:]); err != nil {
		logger.Error("trends-emulator failed", "error", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("trends-emulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8091", "listen address")
	seed := fs.Int64("seed", 42, "seed")
	now := fs.String("now", "", "emulator clock, RFC3339 (default: the current hour)")
	hiring := fs.Bool("hiring", false, "data keywords follow the data hiring of an in-process Saramin market (4 weeks later)")
	history := fs.Int("saramin-history-days", saramintest.DefaultHistoryDays, "with -hiring: the Saramin market's days of history (saramin-emulator -history-days)")
	scale := fs.Float64("saramin-scale", 1, "with -hiring: the Saramin market's volume multiplier (saramin-emulator -scale)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	opts := trendstest.Options{Seed: *seed, Now: time.Now().Truncate(time.Hour)}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("flag -now: %w", err)
		}
		opts.Now = t
	}
	if *hiring {
		market, err := saramintest.New(saramintest.Options{Seed: *seed, Now: opts.Now, HistoryDays: *history, Scale: *scale})
		if err != nil {
			return fmt.Errorf("flag -hiring: %w", err)
		}
		opts.Hiring = market.DataHiring
	}
	srv := &http.Server{Addr: *addr, Handler: trendstest.New(opts).Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("serving synthetic Google Trends", "addr", *addr, "seed", *seed, "hiring", *hiring)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
