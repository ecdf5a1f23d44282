// Command findings writes the README's findings: it reads a warehouse file
// (the one `make e2e` builds, by default) through the dashboard's own
// Store, as the dashboard would show it, and rewrites the block between
// the README's findings markers with what it reads. With -check it only
// reports whether the README's block is what the warehouse gives.
//
//	go run ./pkg/cmd/findings -warehouse .local/warehouse.duckdb -readme README.md
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/warehouse/duckdb"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "findings:", err)
		os.Exit(1)
	}
}

// errStale is -check finding the README's block out of date.
var errStale = errors.New("the README's findings are not what the warehouse gives: run make findings")

func realMain(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("findings", flag.ContinueOnError)
	path := fs.String("warehouse", ".local/warehouse.duckdb", "DuckDB warehouse file to read (make e2e builds it)")
	readme := fs.String("readme", "README.md", "README whose findings block to rewrite")
	check := fs.Bool("check", false, "only check that the README's block is what the warehouse gives")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(*path), slog.New(slog.DiscardHandler))
	if _, err := store.Refresh(ctx); err != nil {
		return fmt.Errorf("read %s: %w", *path, err)
	}
	block, err := store.Findings(ctx, *path)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(*readme)
	if err != nil {
		return fmt.Errorf("read the README: %w", err)
	}
	updated, err := dashboard.FindingsBlock.Replace(old, block)
	if err != nil {
		return fmt.Errorf("%s: %w", *readme, err)
	}
	switch {
	case *check && !bytes.Equal(old, updated):
		return errStale
	case *check:
		fmt.Fprintf(stdout, "%s: the findings are what %s gives\n", *readme, *path)
		return nil
	case bytes.Equal(old, updated):
		fmt.Fprintf(stdout, "%s: the findings were already what %s gives\n", *readme, *path)
		return nil
	}
	if err := os.WriteFile(*readme, updated, 0o644); err != nil {
		return fmt.Errorf("write the README: %w", err)
	}
	fmt.Fprintf(stdout, "%s: findings rewritten from %s\n%s", *readme, *path, block)
	return nil
}
