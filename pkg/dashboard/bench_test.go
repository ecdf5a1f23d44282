package dashboard_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/dashboard/dashboardtest"
	"jobpulse/pkg/warehouse"
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
	p50, p95 := measure(b, srv.URL, paths)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p95, "p95-ms")
	b.ReportMetric(float64(snapshot.Milliseconds()), "snapshot-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkSnapshot measures a refresh of the dashboard's snapshot from a
// warehouse of a million postings (three years of a synthetic market), as
// the service refreshes when the warehouse changes: the previous snapshot
// still held and served while the next is read. It reports the median
// read's wall time (snapshot-ms) and the process's CPU time in it (user +
// system, snapshot-cpu-ms: less sensitive to other work on the machine);
// the Go heap at its highest during the reads (peak-heap-MB: live and
// not yet collected objects, sampled every millisecond, the previous
// snapshot included); the heap one snapshot keeps after a collection
// (heap-MB); and the process's resident set after the reads (rss-MB) and
// at its highest (peak-rss-MB; DuckDB's memory included, and the
// warehouse's generation when this run generated it).
func BenchmarkSnapshot(b *testing.B) {
	ctx := context.Background()
	src := &changing{Snapshotter: duckdb.NewFileSnapshotter(bigWarehouse(b))}
	store := dashboard.NewStore(src, slog.New(slog.DiscardHandler))
	// The first read, untimed: the snapshot the next ones replace.
	if _, err := store.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	held := mem.HeapAlloc
	var walls, cpus []time.Duration
	peak := heapPeak()
	b.ResetTimer()
	for b.Loop() {
		began, cpu := time.Now(), cpuTime()
		if read, err := store.Refresh(ctx); err != nil || !read {
			b.Fatalf("refresh: read %v, %v", read, err)
		}
		walls, cpus = append(walls, time.Since(began)), append(cpus, cpuTime()-cpu)
	}
	b.StopTimer()
	top := peak()
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(walls), "snapshot-ms")
	b.ReportMetric(median(cpus), "snapshot-cpu-ms")
	b.ReportMetric(float64(top)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(held)/(1<<20), "heap-MB")
	debug.FreeOSMemory()
	b.ReportMetric(statusMB("VmRSS:"), "rss-MB")
	b.ReportMetric(statusMB("VmHWM:"), "peak-rss-MB")
}

// changing is a warehouse whose version changes at every look: each
// refresh reads it.
type changing struct {
	warehouse.Snapshotter
	n atomic.Int64
}

func (c *changing) Version(ctx context.Context) (string, error) {
	if _, err := c.Snapshotter.Version(ctx); err != nil {
		return "", err
	}
	return strconv.FormatInt(c.n.Add(1), 10), nil
}

// heapPeak samples the Go heap's allocated objects (HeapAlloc's measure,
// read without stopping the world) every millisecond until the returned
// function is called, which answers the highest.
func heapPeak() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

// cpuTime is the process's CPU time so far (user and system).
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
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
		// BENCH_BIG_WAREHOUSE keeps the warehouse at that path between
		// runs: generated there when missing, reused (not removed) after.
		if p := os.Getenv("BENCH_BIG_WAREHOUSE"); p != "" {
			generated.path = p
			if _, err := os.Stat(p); err == nil {
				return
			}
		} else {
			if generated.dir, generated.err = os.MkdirTemp("", "jobpulse-bench-"); generated.err != nil {
				return
			}
			generated.path = filepath.Join(generated.dir, "big.duckdb")
		}
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
	p50, p95 := measure(b, srv.URL, paths)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p95, "p95-ms")
}

// measure asks the server at base for paths in turn, b.N times in all,
// and answers the latency's p50 and p95 in milliseconds.
func measure(b *testing.B, base string, paths []string) (p50, p95 float64) {
	b.Helper()
	var lat []time.Duration
	each := map[string][]time.Duration{}
	defer func() {
		// The five slowest requests by their median (a benchmark's log
		// is cut after ten lines).
		type median struct {
			ms   float64
			path string
		}
		var ms []median
		for p, l := range each {
			slices.Sort(l)
			ms = append(ms, median{float64(l[len(l)/2].Microseconds()) / 1000, p})
		}
		slices.SortFunc(ms, func(a, b median) int { return cmp.Compare(b.ms, a.ms) })
		var lines []string
		for _, m := range ms[:min(5, len(ms))] {
			lines = append(lines, fmt.Sprintf("%6.1f ms  %s", m.ms, m.path))
		}
		b.Logf("slowest medians:\n%s", strings.Join(lines, "\n"))
	}()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := paths[i%len(paths)]
		t0 := time.Now()
		r, err := http.Get(base + p)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode != 200 {
			b.Fatalf("%s: %d", p, r.StatusCode)
		}
		lat = append(lat, time.Since(t0))
		each[p] = append(each[p], lat[len(lat)-1])
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))].Microseconds()) / 1000 }
	return q(0.50), q(0.95)
}

// BenchmarkPostings measures the grid of postings and the top postings
// over a warehouse of a million postings, each page read from the
// warehouse, asking what a person asks of the grid (the default view, a
// role, filters, a search in Korean and in English, each order, a deep
// page), and reports the latency's p50 and p95; the dashboard's memory
// between reads (the heap after a collection, and the process's resident
// set); and what a per-posting index of the grid's columns in Go would
// add to the heap, built from the same postings (the alternative to
// reading pages from the warehouse).
func BenchmarkPostings(b *testing.B) {
	ctx := context.Background()
	path := bigWarehouse(b)
	w := duckdb.NewFileSnapshotter(path)
	defer w.Close()
	store := dashboard.NewStore(w, slog.New(slog.DiscardHandler), dashboard.WithPostings(w))
	if _, err := store.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	e := url.QueryEscape
	recent := "&from=2026-05-25&to=2026-11-25"
	paths := []string{
		"/api/postings?role=data_engineer" + recent, // the page's first view
		"/api/postings?role=all" + recent,
		"/api/postings?role=data_analyst&entry=1&province=" + e("경기") + recent,
		"/api/postings?role=all&district=" + e("서울 > 강남구") + "&industry=" + e("IT·웹·통신") + recent,
		"/api/postings?role=all&experience=experienced_3_5&from=2024-01-01&to=2026-11-25",
		"/api/postings?role=all&q=python" + recent,
		"/api/postings?role=all&q=" + e("파이썬") + recent,
		"/api/postings?role=all&q=" + e("네이버") + recent,
		"/api/postings?role=all&sort=deadline" + recent,
		"/api/postings?role=all&sort=views&from=2024-01-01&to=2026-11-25",
		"/api/postings?role=data_scientist&sort=applications" + recent,
		"/api/postings?role=all&sort=views_per_day" + recent,
		"/api/postings?role=all&page=200&size=50" + recent, // a deep page
		"/api/top?role=data_engineer" + recent,
		"/api/top?by=applications&role=all&from=2024-01-01&to=2026-11-25",
	}
	p50, p95 := measure(b, srv.URL, paths)
	// Between reads: the snapshot's heap, and the process's resident set
	// with the Go heap's free pages given back (DuckDB's own memory, the
	// attached file's cache, counts in it).
	debug.FreeOSMemory()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p95, "p95-ms")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(rssMB(b), "rss-MB")
	index, rows := indexSize(b, path)
	b.ReportMetric(index/(1<<20), "index-MB")
	b.Logf("a per-posting index of the grid's columns for %d postings: %.0f MB on the heap (%.0f bytes a posting)", rows, index/(1<<20), index/float64(rows))
}

// indexSize builds the smallest per-posting index the grid could answer
// from in Go (id, title and company as strings; region, industry and
// experience as codes; posting day, deadline, views, applications and
// days open as numbers) from the warehouse at path, and answers how much
// it adds to the heap after a collection, and its postings.
func indexSize(b *testing.B, path string) (float64, int) {
	b.Helper()
	type fixed struct {
		posted, deadline, closed int32
		views, apps              int64
		// The region (province, district) and industry (and its
		// detail) codes, the role, experience and salary codes and the
		// open, entry and synthetic flags take their place unfilled: the
		// index's size is measured, not what it answers.
		_ [4]uint16
		_ [3]uint8
		_ [3]bool
	}
	var idx struct {
		ids, titles, companies []string
		skills                 [][]uint8
		fixed                  []fixed
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rows, err := db.Query(`SELECT id, coalesce(title, ''), coalesce(company_name, ''), coalesce(read_count, 0), coalesce(apply_count, 0),
		epoch(posted_date)::BIGINT // 86400, coalesce(epoch(expires_at)::BIGINT // 86400, 0), coalesce(epoch(closed_date)::BIGINT // 86400, 0), len(skills)
		FROM core.recruit`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id, title, company string
		var f fixed
		var posted, deadline, closed, nskills int64
		if err := rows.Scan(&id, &title, &company, &f.views, &f.apps, &posted, &deadline, &closed, &nskills); err != nil {
			b.Fatal(err)
		}
		f.posted, f.deadline, f.closed = int32(posted), int32(deadline), int32(closed)
		idx.ids, idx.titles, idx.companies = append(idx.ids, id), append(idx.titles, title), append(idx.companies, company)
		idx.skills = append(idx.skills, make([]uint8, nskills))
		idx.fixed = append(idx.fixed, f)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	rows.Close()
	// The slices at their final length, as an index built once would be.
	idx.ids, idx.titles, idx.companies = slices.Clip(idx.ids), slices.Clip(idx.titles), slices.Clip(idx.companies)
	idx.skills, idx.fixed = slices.Clip(idx.skills), slices.Clip(idx.fixed)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(&idx)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc), len(idx.ids)
}

// rssMB is the process's resident set (VmRSS) in MB, 0 where
// /proc/self/status is not there.
func rssMB(b *testing.B) float64 {
	b.Helper()
	return statusMB("VmRSS:")
}

// statusMB is a figure of /proc/self/status given in kB ("VmRSS:",
// "VmHWM:") in MB, 0 where it is not there.
func statusMB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
