// Command transformer is the transformer Cloud Run job: it drains the raw
// page announcements, writes clean load-ready files to the lake and
// announces them. See package jobpulse/pkg/transform.
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
	"jobpulse/pkg/crash"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/transform"
)

type config struct {
	cli.Common
	transform.Config
	Crash crash.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	log, err := realMain(ctx, os.Args[1:])
	stop()
	cli.Exit("transformer", err, log)
}

func realMain(ctx context.Context, args []string) (*slog.Logger, error) {
	var cfg config
	fs := flag.NewFlagSet("transformer", flag.ContinueOnError)
	maxMessages := fs.Int("max-messages", -1, "messages handled by this execution at most (overrides DRAIN_MAX_MESSAGES)")
	sweep := fs.Bool(cli.SweepFlag, false, cli.SweepHelp)
	job := cli.Job{Name: "transformer", Summary: "turn announced raw answers (postings, search interest, certifications) into clean NDJSON files and announce them", Config: &cfg, Flags: fs}
	if err := cli.Parse(ctx, job, args, nil, os.Stderr); err != nil {
		return nil, err
	}
	if *maxMessages >= 0 {
		cfg.MaxMessages = *maxMessages
	}
	execution := ops.ExecutionID(os.Getenv, time.Now())
	log := cfg.Logger(os.Stderr).With("execution", execution)
	stop, err := cfg.Crash.Hook("transformer", transform.StopPoints, os.Getenv, log)
	if err != nil {
		return log, err
	}
	c, err := cfg.Open(ctx)
	if err != nil {
		return log, err
	}
	defer c.Close()
	n, err := cfg.Notifier(c, log)
	if err != nil {
		return log, err
	}
	if *sweep {
		if waiting, err := c.Waiting(ctx, cfg.Subscription, log); err != nil || !waiting {
			return log, err
		}
	}
	t := &transform.Transformer{Cfg: cfg.Config, Lake: c.Lake, Bus: c.Bus, Now: time.Now, Log: log, Project: cfg.Project,
		Execution: execution, Notify: n, Stop: stop}
	sum, err := t.Run(ctx)
	log.Info("transformer done", "messages", sum.Messages, "rows", sum.Rows, "quarantined", sum.Quarantined, "poison", sum.Poison, "duration", sum.Duration)
	return log, err
}
