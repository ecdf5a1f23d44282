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
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	opts := trendstest.Options{Seed: *seed}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("flag -now: %w", err)
		}
		opts.Now = t
	}
	srv := &http.Server{Addr: *addr, Handler: trendstest.New(opts).Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("serving synthetic Google Trends", "addr", *addr, "seed", *seed)
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
