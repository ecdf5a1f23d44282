package stack_test

import (
	"context"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"jobpulse/pkg/stack"
)

// BenchmarkJobsMemory runs the three job binaries as separate processes
// against the local stack over a market of about 100,000 postings (BENCH_SCALE
// scales it): a backfill of its whole history, then one hourly cycle. It
// reports each job's peak resident memory (MiB, as the job logs it at its
// end) and CPU time (user and system, ms, as the kernel counts it for the
// process) in both, and the postings the backfill carried.
func BenchmarkJobsMemory(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the job binaries")
	}
	scale := 2.8 // about 100,000 postings over a year
	if v := os.Getenv("BENCH_SCALE"); v != "" {
		var err error
		if scale, err = strconv.ParseFloat(v, 64); err != nil || scale <= 0 {
			b.Fatalf("BENCH_SCALE=%q: want a positive number", v)
		}
	}
	ctx := context.Background()
	bin, err := jobBinaries()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := stack.Start(ctx, stack.Options{Dir: b.TempDir(), Bin: bin, Seed: 42,
			Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), HistoryDays: 365, Scale: scale,
			// A backfill this size takes the API two days of its quota; the
			// benchmark measures the jobs, not the quota.
			DailyQuota: -1, Out: io.Discard}, true)
		if err != nil {
			b.Fatal(err)
		}
		h, err := s.Saramin.HourPair(s.Opts.Now)
		if err != nil {
			b.Fatal(err)
		}
		s.SetNow(h)
		backfill, err := s.RunCycle(ctx, "backfill", "--from", s.Saramin.HistoryStart().Add(-24*time.Hour).Format(time.RFC3339), "--to", h.Format(time.RFC3339))
		if err != nil {
			b.Fatal(err)
		}
		s.SetNow(h.Add(time.Hour))
		hourly, err := s.RunCycle(ctx, "hourly", "--to", h.Add(time.Hour).Format(time.RFC3339))
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		if backfill.Postings == 0 || backfill.Staged != backfill.Postings {
			b.Fatalf("backfill carried %d postings and loaded %d", backfill.Postings, backfill.Staged)
		}
		b.ReportMetric(float64(backfill.Postings), "postings")
		for _, c := range []stack.Cycle{backfill, hourly} {
			for _, ex := range []stack.Execution{c.Extract, c.Transform, c.Load} {
				b.ReportMetric(float64(ex.PeakMemory)/(1<<20), ex.Job+"-"+c.Label+"-MiB")
				b.ReportMetric(float64(ex.CPU.Milliseconds()), ex.Job+"-"+c.Label+"-cpu-ms")
			}
		}
	}
}
