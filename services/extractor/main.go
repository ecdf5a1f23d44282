// Command extractor is the extractor Cloud Run job: it fetches what is new
// from one source (Saramin postings hourly, Google Trends interest daily,
// certification statistics weekly) into the lake and announces it on
// Pub/Sub. See package jobpulse/pkg/extract.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"time"

	"jobpulse/pkg/cert"
	"jobpulse/pkg/cli"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends"
)

func main() { cli.Main("extractor", realMain) }

func realMain(ctx context.Context, args []string) (*slog.Logger, error) {
	var cfg extract.JobConfig
	var from, to cli.TimeFlag
	fs := flag.NewFlagSet("extractor", flag.ContinueOnError)
	fs.Var(&from, "from", "start of the window (2026-11-25, 2026-11-25T09:00: KST unless an offset is given): a backfill or a re-run instead of the watermark")
	fs.Var(&to, "to", "end of the window (default: the start of the current hour)")
	backfill := fs.Int("backfill-days", 0, "history fetched by a first run (overrides EXTRACT_BACKFILL_DAYS)")
	fs.Var(&cfg.Source, "source", "source to extract: saramin, trends or cert (overrides SOURCE)")
	job := cli.Job{Name: "extractor", Summary: "fetch what is new from one source into the lake and announce it", Config: &cfg, Flags: fs}
	if err := cli.Parse(ctx, job, args, nil, os.Stderr); err != nil {
		return nil, err
	}
	if *backfill > 0 {
		cfg.BackfillDays = *backfill
	}
	e, log, err := cfg.Start(ctx, "extractor", cfg.Crash, extract.StopPoints, "source", cfg.Source)
	if err != nil {
		return log, err
	}
	defer e.Close()
	x := &extract.Extractor{Cfg: cfg.Config, Lake: e.Lake, Bus: e.Bus, Notify: e.Notify, Now: time.Now, Log: log, Project: cfg.Project, Execution: e.ID, Stop: e.Stop}
	if err := apis(x, cfg.Config); err != nil {
		return log, err
	}
	sum, err := x.Run(ctx, extract.Options{From: from.T, To: to.T})
	if fail, _ := extract.Outcome(err); err != nil && !fail {
		// Not a failure to retry now: the extractor has alerted; end
		// cleanly.
		return log, nil
	}
	if err == nil {
		log.Info("extractor done", "run_id", sum.RunID, "nothing_new", sum.NothingNew, "pages", sum.Pages, "postings", sum.Postings,
			"keywords", sum.Keywords, "quarantined", sum.Quarantined, "duration", sum.Duration)
	}
	return log, err
}

// apis builds the client of the configured source (cli.Parse has
// validated the configuration).
func apis(x *extract.Extractor, cfg extract.Config) error {
	var err error
	switch cfg.Source {
	case source.Saramin:
		x.API, err = saramin.New(saramin.Config{BaseURL: cfg.BaseURL, AccessKey: cfg.AccessKey, Timeout: cfg.Timeout, RatePerSecond: cfg.Rate, MaxTries: cfg.MaxTries})
	case source.Trends:
		x.Trends, err = trends.New(trends.Config{BaseURL: cfg.TrendsBaseURL, Timeout: cfg.TrendsTimeout, RatePerSecond: cfg.TrendsRate,
			MaxTries: cfg.TrendsMaxTries, InitialBackoff: cfg.TrendsBackoff, MaxBackoff: 18 * cfg.TrendsBackoff})
	case source.Cert:
		x.Cert, err = cert.New(cert.Config{BaseURL: cfg.QnetBaseURL, ServiceKey: cfg.QnetServiceKey, Exams: cfg.CertExams, Timeout: cfg.QnetTimeout, RatePerSecond: cfg.QnetRate})
	}
	return err
}
