//go:build !cloud

package duckdb_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/engine"
)

// build makes a warehouse file of postings postings by loading the
// market's history in batches of at most chunk postings, and returns its
// path and the number of hours loaded.
func (m market) build(b *testing.B, dir string, postings, chunk int, opts ...duckdb.Option) (string, int) {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("warehouse-%d-loader.duckdb", postings))
	if kept := filepath.Join(os.Getenv("HOURLY_LOAD_KEEP"), filepath.Base(path)); os.Getenv("HOURLY_LOAD_KEEP") != "" {
		// A copy kept by an earlier run saves building it again.
		if err := copyFile(kept, path); err == nil {
			return path, postings / m.perHour
		}
		defer func() {
			if !b.Failed() {
				_ = copyFile(path, kept)
			}
		}()
	}
	w, err := duckdb.Open(ctx, path, opts...)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	if err := w.Ensure(ctx); err != nil {
		b.Fatal(err)
	}
	hours := postings / m.perHour
	for from := 0; from < hours; from += chunk / m.perHour {
		to := min(from+chunk/m.perHour, hours)
		// An object of 20 hours (2,000 postings), as a backfill's pages
		// come in many objects.
		batch := m.batch(from, to)
		batch.Objects = nil
		for h := from; h < to; h += 20 {
			batch.Objects = append(batch.Objects, fmt.Sprintf("clean/%d-%d", h, min(h+20, to)))
		}
		if _, err := w.LoadRecruit(ctx, batch, m); err != nil {
			b.Fatalf("build %d postings: %v", postings, err)
		}
	}
	return path, hours
}

// cpu is the process's CPU time so far (user + system, every thread).
func cpu(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// hourly runs one hourly loader execution on the file at path, loading the
// market's hour h, and returns its CPU time.
func (m market) hourly(b *testing.B, path string, h int, opts ...duckdb.Option) time.Duration {
	b.Helper()
	began := cpu(b)
	w, err := duckdb.Open(ctx, path, opts...)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		b.Fatal(err)
	}
	res, err := w.LoadRecruit(ctx, m.batch(h, h+1), m)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if res.Inserted != m.perHour {
		b.Fatalf("hour %d: inserted %d, want %d", h, res.Inserted, m.perHour)
	}
	return cpu(b) - began
}

// BenchmarkHourlyLoad measures one hourly loader execution (open, Ensure,
// LoadRecruit of 100 new postings, Close) on a warehouse file of 10,000
// postings and on one of 1,000,000, both built by real loads of a market
// of 100 new postings an hour (so 100 hours against 10,000 hours of
// history). Each iteration loads the next hour into both; the metrics are
// the medians of the CPU time (user + system of the whole process) and
// their ratio, which says how much the hourly cost follows history rather
// than the batch. cpu-ms-1M-compacting is one more execution on the large
// file that also compacts it, as the loader's first of each day does.
func BenchmarkHourlyLoad(b *testing.B) {
	m := market{start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), perHour: 100}
	dir := b.TempDir()
	opts := loaderOptions(b)
	small, smallHours := m.build(b, dir, 10_000, 100_000, opts...)
	large, largeHours := m.build(b, dir, 1_000_000, 100_000, opts...)
	var cpuSmall, cpuLarge []time.Duration
	i := 0
	for b.Loop() {
		cpuSmall = append(cpuSmall, m.hourly(b, small, smallHours+i, opts...))
		cpuLarge = append(cpuLarge, m.hourly(b, large, largeHours+i, opts...))
		i++
	}
	s, l := median(cpuSmall), median(cpuLarge)
	b.ReportMetric(float64(s)/1e6, "cpu-ms-10k")
	b.ReportMetric(float64(l)/1e6, "cpu-ms-1M")
	b.ReportMetric(float64(l)/float64(s), "ratio")
	// One more execution on the large warehouse, a day later by its clock:
	// it also compacts the file (Settings.CompactEvery), which the loader
	// does once a day.
	later := duckdb.WithClock(func() time.Time { return time.Now().Add(48 * time.Hour) })
	b.ReportMetric(float64(m.hourly(b, large, largeHours+i, append(opts, later)...))/1e6, "cpu-ms-1M-compacting")
}

// loaderOptions are the loader's: its default settings of DuckDB
// (engine.DuckDBConfig) and chunk size.
func loaderOptions(b *testing.B) []duckdb.Option {
	var c engine.DuckDBConfig
	if err := envconfig.ProcessWith(ctx, &envconfig.Config{Target: &c, Lookuper: envconfig.MapLookuper(nil)}); err != nil {
		b.Fatal(err)
	}
	return c.Options()
}

// copyFile copies the file at from to to.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}
