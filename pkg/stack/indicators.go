package stack

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends/trendstest"
)

// extractorDefault is the default of one of the extractor's variables,
// which the stack leaves unset.
func extractorDefault(name string) string {
	for _, v := range cli.EnvVars(&extract.Config{}) {
		if v.Name == name {
			return v.Default
		}
	}
	return ""
}

// RunSource runs one pass of the chain for a source other than the
// postings: the extractor with --source, then the transformer and the
// loader. An extractor that fails is reported in Cycle.ExtractErr and the
// chain goes on, as it does in production (the transformer and the loader
// run on their own triggers).
func (s *Stack) RunSource(ctx context.Context, label string, src source.Source, extractArgs ...string) (Cycle, error) {
	c := Cycle{Label: label}
	c.Extract, c.ExtractErr = s.Runner.Run(ctx, label, Extractor, append([]string{"--source", string(src)}, extractArgs...)...)
	return c, s.transformAndLoad(ctx, &c)
}

// indicators fills core.google_trend and core.certification for the day
// `day` (a KST midnight): a trends run in which one request fails (its
// keywords are reported and retried by the next execution), the retry, a
// run with nothing left to do, and a certification run and its repeat.
func (s *Stack) indicators(ctx context.Context, day time.Time) error {
	out := s.Opts.Out
	to := "--to=" + day.Format(time.RFC3339)
	// The first request's explore answers 429 on every try.
	s.Trends.AddFault(trendstest.Fault{Kind: trendstest.FaultRateLimit, Endpoint: "explore", Count: 2})
	first, err := s.RunSource(ctx, string(source.Trends), source.Trends, to)
	if err != nil {
		return err
	}
	if first.ExtractErr == nil {
		return fmt.Errorf("e2e: the trends run with a failing request did not report it")
	}
	alerts, err := first.Extract.Alerts("keywords_failed")
	if err != nil {
		return err
	}
	if len(alerts) == 0 {
		return fmt.Errorf("e2e: the trends run logged no keywords_failed alert")
	}
	failed := fmt.Sprint(alerts[len(alerts)-1]["keywords"])
	fmt.Fprintf(out, "%-10s %d trend rows loaded (%d new); keywords not collected, alerted: %s\n", source.Trends, first.Staged, first.Inserted, failed)

	retry, err := s.RunSource(ctx, string(source.Trends)+"-2", source.Trends, to)
	if err != nil {
		return err
	}
	if retry.ExtractErr != nil {
		return fmt.Errorf("e2e: the trends retry: %w", retry.ExtractErr)
	}
	fmt.Fprintf(out, "%-10s retried the failed request: %d trend rows loaded (%d new)\n", string(source.Trends)+"-2", retry.Staged, retry.Inserted)
	again, err := s.RunSource(ctx, string(source.Trends)+"-3", source.Trends, to)
	if err != nil {
		return err
	}
	if again.ExtractErr != nil || !again.NothingNew {
		return fmt.Errorf("e2e: a third trends run on the same day should have nothing to do (%v)", again.ExtractErr)
	}

	cert, err := s.RunSource(ctx, string(source.Cert), source.Cert, to)
	if err != nil {
		return err
	}
	if cert.ExtractErr != nil {
		return fmt.Errorf("e2e: certifications: %w", cert.ExtractErr)
	}
	fmt.Fprintf(out, "%-10s certification data set: %d rows loaded\n", source.Cert, cert.Staged)
	if c, err := s.RunSource(ctx, string(source.Cert)+"-2", source.Cert, to); err != nil || c.ExtractErr != nil || !c.NothingNew {
		return fmt.Errorf("e2e: a second certification run in the same week should have nothing to do (%v, %v)", err, c.ExtractErr)
	}

	db, err := s.Warehouse()
	if err != nil {
		return err
	}
	defer db.Close()
	var keywords, points, partial int
	if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT keyword), count(*), count(*) FILTER (WHERE is_partial) FROM core.google_trend`).Scan(&keywords, &points, &partial); err != nil {
		return fmt.Errorf("e2e: core.google_trend: %w", err)
	}
	if want := len(saramin.SplitList(extractorDefault("TRENDS_KEYWORDS"))); keywords != want {
		return fmt.Errorf("e2e: core.google_trend holds %d keywords, want the %d configured", keywords, want)
	}
	var exams, certRows int
	if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT exam), count(*) FROM core.certification`).Scan(&exams, &certRows); err != nil {
		return fmt.Errorf("e2e: core.certification: %w", err)
	}
	asked, err := extract.ParseExams(CertExams)
	if err != nil {
		return fmt.Errorf("e2e: %w", err)
	}
	if exams != len(asked) {
		return fmt.Errorf("e2e: core.certification holds %d exams, want the %d asked", exams, len(asked))
	}
	var synthetic bool
	if err := db.QueryRowContext(ctx, `SELECT bool_and(synthetic) FROM core.google_trend`).Scan(&synthetic); err != nil || !synthetic {
		return fmt.Errorf("e2e: emulator trend rows not marked synthetic (%v)", err)
	}
	fmt.Fprintf(out, "core.google_trend: %d keywords, %d weekly points (%d partial); core.certification: %d exams, %d rows\n", keywords, points, partial, exams, certRows)
	return nil
}

// rerunIndicators runs each indicator's window again, as an operator would
// with --from: the same requests, the same data set.
func (s *Stack) rerunIndicators(ctx context.Context, day time.Time) error {
	to := "--to=" + day.Format(time.RFC3339)
	trendsYears, err := strconv.Atoi(extractorDefault("TRENDS_YEARS"))
	if err != nil {
		return fmt.Errorf("e2e: the extractor's TRENDS_YEARS default: %w", err)
	}
	for _, r := range []struct {
		source source.Source
		from   string
	}{
		{source.Trends, day.AddDate(-trendsYears, 0, 0).Format(time.RFC3339)},
		{source.Cert, day.AddDate(0, 0, -7).Format(time.RFC3339)},
	} {
		c, err := s.RunSource(ctx, "rerun-"+string(r.source), r.source, "--from="+r.from, to)
		if err != nil {
			return err
		}
		if c.ExtractErr != nil {
			return fmt.Errorf("e2e: re-running %s: %w", r.source, c.ExtractErr)
		}
	}
	return nil
}
