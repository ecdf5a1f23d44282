// Command transformer is the transformer Cloud Run job: it drains the raw
// page announcements, writes clean load-ready files to the lake and
// announces them. See package jobpulse/pkg/transform.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"time"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/transform"
)

func main() { cli.Main("transformer", realMain) }

func realMain(ctx context.Context, args []string) (*slog.Logger, error) {
	var cfg transform.JobConfig
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
	x, log, err := cfg.Start(ctx, "transformer", cfg.Crash, transform.StopPoints)
	if err != nil {
		return log, err
	}
	defer x.Close()
	if *sweep {
		if waiting, err := x.Waiting(ctx, cfg.Subscription, log); err != nil || !waiting {
			return log, err
		}
	}
	t := &transform.Transformer{Cfg: cfg.Config, Lake: x.Lake, Bus: x.Bus, Now: time.Now, Log: log, Project: cfg.Project,
		Execution: x.ID, Notify: x.Notify, Stop: x.Stop}
	sum, err := t.Run(ctx)
	log.Info("transformer done", "messages", sum.Messages, "rows", sum.Rows, "quarantined", sum.Quarantined, "poison", sum.Poison, "duration", sum.Duration)
	return log, err
}
