package dashboard_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/warehouse/duckdb"
)

// drawn is, once every chart of the page has drawn, the milliseconds since
// the navigation began (performance.now), and 0 before.
const drawn = `(() => {
	const c = [...document.querySelectorAll(".chart")];
	return c.length > 0 && c.every(e => e.dataset.ready === "1") ? performance.now() : 0;
})()`

// transferred is what the page's resources cost over the wire, in bytes
// (the document and every script, style sheet and API answer).
const transferred = `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
	.reduce((a, e) => a + e.transferSize, 0)`

// visits is how many first and return visits an operation of
// BenchmarkFirstPaint makes: enough for a median.
const visits = 5

// BenchmarkFirstPaint opens the page as it opens without filters, in
// headless Chromium, over a warehouse the size of the demo's (market:
// 36,500 postings over a year, with search interest and exam statistics),
// and reports the time from navigation to every chart drawn (each chart
// marks itself data-ready once drawn): for first visits (a fresh browser
// profile, nothing cached) at their median and worst, with the CPU time
// the page's main thread spent until then; for return visits (the same
// tab loaded again: the page revalidated, its files from the cache); and
// the bytes a first visit transfers; and first visits over a phone's
// link, where those bytes count. Times are printed, never asserted.
// Skipped without Chromium.
func BenchmarkFirstPaint(b *testing.B) {
	ctx := context.Background()
	// BENCH_WAREHOUSE names another warehouse file to open the page over,
	// the demo's (.local/warehouse.duckdb) for one.
	path := os.Getenv("BENCH_WAREHOUSE")
	if path == "" {
		path = market(b, 36_500)
	}
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(path), slog.New(slog.DiscardHandler))
	if _, err := store.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	browserCtx := browser(b)
	// Start the browser before timing anything.
	if err := chromedp.Do(browserCtx, chromedp.Navigate("about:blank")); err != nil {
		b.Fatal(err)
	}

	// paint answers the milliseconds from navigation to every chart drawn,
	// and the CPU time the page's main thread spent until then (less
	// sensitive than the time to other work on the machine).
	paint := func(ctx context.Context) (float64, float64) {
		b.Helper()
		if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks}); err != nil {
			b.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
			b.Fatalf("open the page: %v", err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Poll[float64](drawn, chromedp.WithPollingTimeout(30*time.Second)))
		if err != nil {
			b.Fatalf("the charts did not all draw: %v", err)
		}
		m, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			b.Fatal(err)
		}
		var cpu float64
		for _, x := range m.Metrics {
			if x.Name == "TaskDuration" {
				cpu = x.Value * 1000
			}
		}
		return ms, cpu
	}
	// A phone's mobile link: 9 Mbit/s down, 1.5 Mbit/s up, 60 ms from
	// request to answer.
	phoneLink := &network.Conditions{Latency: 60, DownloadThroughput: 9e6 / 8, UploadThroughput: 1.5e6 / 8}
	var first, again, cpu, phone []float64
	var bytes float64
	for b.Loop() {
		for range visits {
			// Over a phone's link (a fresh profile), where the bytes count.
			tab, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
			if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
				b.Fatal(err)
			}
			if _, err := chromedp.Call(tab, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				MatchedNetworkConditions: []*network.Conditions{phoneLink}}); err != nil {
				b.Fatal(err)
			}
			ms, _ := paint(tab)
			phone = append(phone, ms)
			cancel()

			// A fresh profile: nothing cached.
			tab, cancel = chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
			ms, c := paint(tab)
			first, cpu = append(first, ms), append(cpu, c)
			n, err := chromedp.Run(tab, chromedp.Evaluate[float64](transferred))
			if err != nil {
				b.Fatal(err)
			}
			bytes = n
			ms, _ = paint(tab)
			again = append(again, ms)
			cancel()
		}
	}
	slices.Sort(first)
	slices.Sort(again)
	slices.Sort(cpu)
	slices.Sort(phone)
	b.ReportMetric(first[len(first)/2], "first-ms")
	b.ReportMetric(first[len(first)-1], "first-max-ms")
	b.ReportMetric(again[len(again)/2], "again-ms")
	b.ReportMetric(again[len(again)-1], "again-max-ms")
	b.ReportMetric(cpu[len(cpu)/2], "first-cpu-ms")
	b.ReportMetric(phone[len(phone)/2], "first-phone-link-ms")
	b.ReportMetric(bytes/1024, "first-KB")
	b.Logf("first visit: every chart drawn after %.0f ms (median of %d; %.0f ms of the page's CPU time), %.0f KB transferred; return visit: %.0f ms; first visit over a 9 Mbit/s, 60 ms link: %.0f ms",
		first[len(first)/2], len(first), cpu[len(cpu)/2], bytes/1024, again[len(again)/2], phone[len(phone)/2])
}
