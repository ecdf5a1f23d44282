package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/dashboard/dashboardtest"
	"jobpulse/pkg/warehouse/duckdb"
)

// BenchmarkAPI measures the API over a warehouse of a million postings (three
// years of a synthetic market), asking what the page asks as a person
// changes filters, and reports the latency's p50 and p95 and the time a
// snapshot of that warehouse takes.
func BenchmarkAPI(b *testing.B) {
	ctx := context.Background()
	path := bigWarehouse(b)
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(path), slog.New(slog.DiscardHandler))
	// The heap at its highest while the first snapshot is read (sampled),
	// for sizing the service's memory.
	var peak uint64
	sampled := make(chan struct{})
	reading := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-reading:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	began := time.Now()
	_, err := store.Refresh(ctx)
	close(reading)
	<-sampled
	if err != nil {
		b.Fatal(err)
	}
	snapshot := time.Since(began)
	// What the snapshot keeps in memory between refreshes.
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	gyeonggi, it := url.QueryEscape("경기"), url.QueryEscape("IT·웹·통신")
	paths := []string{
		"/api/meta",
		"/api/volume?role=data_engineer&grain=week&from=2026-05-25&to=2026-11-25",
		"/api/volume?role=data_analyst&entry=1&province=" + gyeonggi + "&industry=" + it + "&grain=week&from=2024-01-01&to=2026-11-25",
		"/api/volume?role=all&grain=day&from=2025-11-25&to=2026-11-25",
		"/api/breakdown?by=province&role=data_scientist&from=2026-05-25&to=2026-11-25",
		"/api/breakdown?by=industry&role=data_engineer&entry=1&from=2024-01-01&to=2026-11-25",
		"/api/indicators?role=data_engineer",
		"/api/indicators", // the page's first view: every role, the whole history
		"/api/skills?role=data_analyst&from=2026-05-25&to=2026-11-25",
		"/api/breakdown?by=district&province=" + gyeonggi + "&role=all&from=2026-05-25&to=2026-11-25",
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := paths[i%len(paths)]
		t0 := time.Now()
		r, err := http.Get(srv.URL + p)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode != 200 {
			b.Fatalf("%s: %d", p, r.StatusCode)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(float64(snapshot.Milliseconds()), "snapshot-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// generated is the warehouse of a million postings (three years of a
// synthetic market) the benchmarks share: generated once per run, removed
// by TestMain.
var generated struct {
	once      sync.Once
	dir, path string
	err       error
}

func bigWarehouse(b *testing.B) string {
	b.Helper()
	generated.once.Do(func() {
		if generated.dir, generated.err = os.MkdirTemp("", "jobpulse-bench-"); generated.err != nil {
			return
		}
		generated.path = filepath.Join(generated.dir, "big.duckdb")
		end := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
		began := time.Now()
		generated.err = dashboardtest.Generate(context.Background(), generated.path, 1_000_000, 3*365, end, 0.7)
		b.Logf("generated 1,000,000 postings in %s", time.Since(began).Round(time.Millisecond))
	})
	if generated.err != nil {
		b.Fatal(generated.err)
	}
	return generated.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if generated.dir != "" {
		os.RemoveAll(generated.dir)
	}
	os.Exit(code)
}

// BenchmarkLifetime measures /api/lifetime over the million postings
// (Kaplan-Meier curves of a role and the market, and a median per posting
// month), for one role over half a year, every filter over three years,
// and the whole market over its whole history, and reports the latency's
// p50 and p95 through HTTP.
func BenchmarkLifetime(b *testing.B) {
	ctx := context.Background()
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(bigWarehouse(b)), slog.New(slog.DiscardHandler))
	if _, err := store.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	gyeonggi, it := url.QueryEscape("경기"), url.QueryEscape("IT·웹·통신")
	paths := []string{
		"/api/lifetime?role=data_engineer&from=2026-05-25&to=2026-11-25",
		"/api/lifetime?role=data_analyst&entry=1&province=" + gyeonggi + "&industry=" + it + "&from=2024-01-01&to=2026-11-25",
		"/api/lifetime?role=all&from=2023-11-27&to=2026-11-25",
		"/api/lifetime?role=data_scientist&from=2023-11-27&to=2026-11-25",
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := paths[i%len(paths)]
		t0 := time.Now()
		r, err := http.Get(srv.URL + p)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode != 200 {
			b.Fatalf("%s: %d", p, r.StatusCode)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
}
