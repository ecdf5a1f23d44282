// Command extractor is the extractor Cloud Run job: it fetches the Saramin
// postings published or modified since the last run into the lake and
// announces them on Pub/Sub. See package jobpulse/pkg/extract.
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
	"jobpulse/pkg/extract"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/saramin"
)

type config struct {
	cli.Common
	extract.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	log, err := realMain(ctx, os.Args[1:])
	stop()
	cli.Exit(err, log)
}

func realMain(ctx context.Context, args []string) (*slog.Logger, error) {
	var cfg config
	var from, to cli.TimeFlag
	fs := flag.NewFlagSet("extractor", flag.ContinueOnError)
	fs.Var(&from, "from", "start of the window (RFC 3339 or date): a backfill or a re-run instead of the watermark")
	fs.Var(&to, "to", "end of the window (default: the start of the current hour)")
	backfill := fs.Int("backfill-days", 0, "history fetched by a first run (overrides EXTRACT_BACKFILL_DAYS)")
	job := cli.Job{Name: "extractor", Summary: "fetch new and modified Saramin postings into the lake and announce them", Config: &cfg, Flags: fs}
	if err := cli.Parse(ctx, job, args, nil, os.Stderr); err != nil {
		return nil, err
	}
	if *backfill > 0 {
		cfg.BackfillDays = *backfill
	}
	log := cfg.Logger(os.Stderr)

	api, err := saramin.New(saramin.Config{BaseURL: cfg.BaseURL, AccessKey: cfg.AccessKey, Timeout: cfg.Timeout, RatePerSecond: cfg.Rate, MaxTries: cfg.MaxTries})
	if err != nil {
		return log, err
	}
	c, err := cfg.Open(ctx)
	if err != nil {
		return log, err
	}
	defer c.Close()

	x := &extract.Extractor{Cfg: cfg.Config, Lake: c.Lake, Bus: c.Bus, API: api, Now: time.Now, Log: log, Project: cfg.Project, Execution: ops.ExecutionID(os.Getenv, time.Now())}
	sum, err := x.Run(ctx, extract.Options{From: from.T, To: to.T})
	if fail, reason := extract.Outcome(err); err != nil && !fail {
		// Not a failure to retry now: say so loudly and end cleanly.
		log.Error("extraction stopped", "alert", "extract_stopped", "reason", reason, "run_id", sum.RunID, "pages_written", sum.Pages)
		return log, nil
	}
	if err == nil {
		log.Info("extractor done", "run_id", sum.RunID, "nothing_new", sum.NothingNew, "pages", sum.Pages, "postings", sum.Postings, "duration", sum.Duration)
	}
	return log, err
}
