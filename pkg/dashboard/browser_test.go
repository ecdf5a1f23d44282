package dashboard_test

import (
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/dashboard/dashboardtest"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
	"jobpulse/pkg/warehouse/warehousetest"
)

// TestBrowser loads the page in headless Chromium, checks that the charts
// render with the fixture's numbers, changes a filter and checks that the
// charts and the shareable URL follow, in Korean and in English.
func TestBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := server(t)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?role=all&grain=day&from=2026-09-01&to=2026-09-30"),
		chromedp.WaitVisible(`#volume[data-ready="1"]`),
		chromedp.WaitVisible(`#province-chart[data-ready="1"]`),
		chromedp.WaitVisible(`#indicators[data-ready="1"]`),
		chromedp.WaitVisible(`#skills[data-ready="1"]`),
	); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	if r := text(t, ctx, "#skills-reading"); !strings.Contains(r, "파이썬") || !strings.Contains(r, "42.9%") || !strings.Contains(r, "7건") {
		t.Errorf("skills reading %q; want 파이썬, asked by 3 of the 7 postings", r)
	}
	// The whole market over the weeks postings and interest share: the
	// fixture's three are too few for a lead-lag reading or a trusted
	// outlook, and it says so.
	if weeks, r, o := attr(t, ctx, "#indicators", "data-weeks"), text(t, ctx, "#indicators-reading"), text(t, ctx, "#outlook-reading"); weeks != "3" ||
		!strings.Contains(r, "30주") || !strings.Contains(o, "믿기 어렵습니다") {
		t.Errorf("indicators: %s weeks, reading %q, outlook %q", weeks, r, o)
	}
	total := attr(t, ctx, "#volume", "data-total")
	entryTotal := attr(t, ctx, "#entry-chart", "data-total")
	reading := text(t, ctx, "#volume-reading")
	province := text(t, ctx, "#province-reading")
	svg := eval[int](t, ctx, `document.querySelectorAll("#volume svg path").length`)
	banner := eval[string](t, ctx, `document.getElementById("synthetic").hidden ? "hidden" : document.getElementById("synthetic").textContent`)
	if total != "7" || entryTotal != "3" {
		t.Errorf("volume chart total %q, newcomer total %q; want the fixture's 7 and 3", total, entryTotal)
	}
	if !strings.Contains(reading, "7건") || !strings.Contains(reading, "전체 시장") {
		t.Errorf("reading %q; want the 7 postings of the whole market, in Korean", reading)
	}
	if svg == 0 {
		t.Error("the volume chart drew no SVG paths")
	}
	if !strings.Contains(province, "서울") || !strings.Contains(province, "4건") {
		t.Errorf("province reading %q; want 서울 first with 4", province)
	}
	if !strings.Contains(banner, "합성") {
		t.Errorf("synthetic banner %q; want it shown", banner)
	}
	// Every level of experience is a bar: the fixture's 3 newcomer postings
	// at 신입, its 4 others asking 3 years at 경력 3~4년.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#experience-chart[data-ready="1"]`)); err != nil {
		t.Fatal(err)
	}
	if n, levels, r := attr(t, ctx, "#experience-chart", "data-total"), attr(t, ctx, "#experience-chart", "data-levels"), text(t, ctx, "#experience-reading"); n != "7" ||
		levels != "7" || !strings.Contains(r, "경력 3~4년이") || !strings.Contains(r, "57.1%(4건)") {
		t.Errorf("experience chart: total %s, %s levels, reading %q; want 7 postings in 7 levels, 경력 3~4년 first with 4", n, levels, r)
	}

	// A filter changes the view without reloading the page, and the URL.
	eval[bool](t, ctx, `(window.__samePage = true)`)
	if err := chromedp.Do(ctx,
		chromedp.SetValue(`select[name="role"]`, "data_engineer"),
	); err != nil {
		t.Fatalf("choose a role: %v", err)
	}
	eval[bool](t, ctx, `document.querySelector('select[name="role"]').dispatchEvent(new Event("change", {bubbles: true}))`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("volume").dataset.total === "2"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("after choosing data_engineer the chart did not show its 2 postings: %v (total %s)", err, attr(t, ctx, "#volume", "data-total"))
	}
	url2, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url2, "role=data_engineer") || !eval[bool](t, ctx, `window.__samePage === true`) {
		t.Errorf("after choosing data_engineer: url %q; want the role in the URL, on the same page", url2)
	}

	// With a province chosen, the region chart shows its districts.
	if err := chromedp.Do(ctx, chromedp.SetValue(`select[name="province"]`, "서울")); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `document.querySelector('select[name="province"]').dispatchEvent(new Event("change", {bubbles: true}))`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("province-reading").textContent.includes("강남구")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the districts of 서울 did not show: %v (%q)", err, text(t, ctx, "#province-reading"))
	}
	// The charts that cannot apply a filter as the others do say so.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.getElementById("skills-note") || {}).textContent?.includes("처음 올린 지역")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("with a province chosen, the skills chart does not say how it counts regions: %v", err)
	}
	if n := text(t, ctx, "#cert-chart-note"); !strings.Contains(n, "적용되지 않습니다") {
		t.Errorf("the certification chart's note %q; want it to say the filters do not apply", n)
	}
	// The shared URL opens the same view, in English on request.
	if err := chromedp.Do(ctx, chromedp.Navigate(url2+"&lang=en"), chromedp.WaitVisible(`#volume[data-ready="1"]`)); err != nil {
		t.Fatalf("open the shared URL: %v", err)
	}
	if heading, total := text(t, ctx, "section h2"), attr(t, ctx, "#volume", "data-total"); heading != "Hiring over time" || total != "2" {
		t.Errorf("shared URL in English: heading %q, total %q", heading, total)
	}
	if labels := eval[string](t, ctx, `[...document.querySelectorAll("h1, h2, label span, .reading")].map(e => e.textContent).join(" | ")`); regexp.MustCompile(`[가-힣]{2,}`).MatchString(strings.NewReplacer("데이터 엔지니어", "", "강남구", "", "정보처리기사", "").Replace(labels)) {
		t.Errorf("Korean left on the English page: %s", labels)
	}
	// The link back to Korean keeps the view.
	if back := attr(t, ctx, "#lang", "href"); !strings.Contains(back, "role=data_engineer") || strings.Contains(back, "lang=en") {
		t.Errorf("the Korean link %q does not keep the view", back)
	}
	// The page lives within its content policy.
	noViolations(t, ctx)
}

// watch is run in every page before its own scripts: it records what
// the page must never do, call alert or break its content policy.
const watch = `window.__alerts = []; window.alert = m => window.__alerts.push(String(m));
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sample));`

// browser starts headless Chromium for one test, with watch in every
// page; without Chromium the test is skipped (outside CI).
func browser(t testing.TB) context.Context {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		const install = "Chromium is not installed (as root: apt-get install chromium fonts-noto-cjk; scripts/deps.sh does it)"
		if os.Getenv("CI") == "true" {
			t.Fatal(install + ": CI must open the dashboard in a browser")
		}
		t.Skip(install + ": the browser test is skipped")
	}
	if _, err := os.Stat("static/vendor/echarts.min.js"); err != nil {
		t.Fatal("static/vendor/echarts.min.js is missing: run scripts/web.sh (make deps does)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1800),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// newTab opens a tab of the browser at ctx, with watch in every page,
// closed at the end of t.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// noViolations fails t if the page called alert or broke its content
// policy.
func noViolations(t *testing.T, ctx context.Context) {
	t.Helper()
	if v := eval[[]string](t, ctx, `window.__alerts.concat(window.__violations)`); len(v) > 0 {
		t.Errorf("the page called alert or broke its content policy: %q", v)
	}
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		t.Fatalf("%s[%s]: %v", sel, name, err)
	}
	return a.Value
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return v
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// market writes a warehouse of n synthetic postings over a year up to
// 2026-11-25 (dashboardtest.Generate), with a year of weekly search
// interest in 데이터 엔지니어 and two years of 정보처리기사 statistics loaded
// through the warehouse's own path: numbers large enough that a count on
// the page is not met by chance in a date.
func market(tb testing.TB, n int) string {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "market.duckdb")
	end := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	if err := dashboardtest.Generate(ctx, path, n, 365, end, 0.5); err != nil {
		tb.Fatal(err)
	}
	w, err := duckdb.Open(ctx, path, duckdb.WithClassifier(warehousetest.TitleClassifier))
	if err != nil {
		tb.Fatal(err)
	}
	defer w.Close()
	var trend []trends.Row
	for i, sunday := 0, time.Date(2025, 11, 23, 0, 0, 0, 0, time.UTC); !sunday.After(end); i, sunday = i+1, sunday.AddDate(0, 0, 7) {
		trend = append(trend, warehousetest.TrendRow("데이터 엔지니어", sunday.Format(time.DateOnly), "2021-11-22 2026-11-21", 30+(i*37)%60, 1),
			warehousetest.TrendRow("SQL", sunday.Format(time.DateOnly), "2021-11-22 2026-11-21", 50+(i*17)%40, 1))
	}
	src := warehousetest.Lake{"trend": warehousetest.NDJSON(trend...),
		"cert": warehousetest.NDJSON(warehousetest.Stat("정보처리기사", 2024, 31_337, 9_876), warehousetest.Stat("정보처리기사", 2025, 35_791, 11_213))}
	if _, err := w.LoadTrends(ctx, warehouse.Batch{Source: source.Trends, RunID: "t1", Objects: []string{"trend"}, Rows: len(trend)}, src); err != nil {
		tb.Fatal(err)
	}
	if _, err := w.ReplaceCertifications(ctx, warehouse.Batch{Source: source.Cert, RunID: "c1", Objects: []string{"cert"}, Rows: 2, WindowTo: end}, src); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// view is a way the page is seen.
type view struct {
	name          string // also the screenshot's, in .local/
	query         string
	width, height int64
	phone         bool
}

// options emulate v's screen: a phone's is a touch screen held upright.
func (v view) options() []chromedp.EmulateViewportOption {
	if v.phone {
		return []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait}
	}
	return nil
}

var views = []view{
	{"desktop-ko", "", 1280, 1800, false},
	{"desktop-en", "?lang=en", 1280, 1800, false},
	{"phone-400", "", 400, 850, true},
}

// TestBrowserViews opens the page as it opens without a filter in the URL,
// on a desktop in Korean and in English and on a 400 px phone, over a
// synthetic market: every chart shows at least one number the store
// computes in Go for the same filters (read from the page's readings and
// from its charts' tooltips, whatever their wording), nothing is wider
// than the screen and no reading is cut. On the phone the cards stack and
// the filters fold under a summary; a desktop page narrowed to a phone's
// width redraws its charts to fit. A screenshot of each view goes to
// .local/ (the README shows them).
func TestBrowserViews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := market(t, 100_000)
	w := duckdb.NewFileSnapshotter(path)
	t.Cleanup(func() { _ = w.Close() })
	store := dashboard.NewStore(w, slog.New(slog.DiscardHandler), dashboard.WithPostings(w))
	if _, err := store.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dashboard.NewServer(store, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	browserCtx := browser(t)
	for _, v := range views {
		t.Run(v.name, func(t *testing.T) {
			tab := newTab(t, browserCtx)
			if err := chromedp.Do(tab, chromedp.EmulateViewport(v.width, v.height, v.options()...), chromedp.Navigate(srv.URL+"/"+v.query)); err != nil {
				t.Fatalf("open the page: %v", err)
			}
			waitDrawn(t, tab)
			if err := chromedp.Do(tab, chromedp.WaitVisible(`#grid[data-ready="1"]`), chromedp.WaitVisible(`#top-list[data-ready="1"]`)); err != nil {
				t.Fatalf("the postings did not show: %v", err)
			}
			// Without a role, the page opens on data engineers, and says so
			// in its URL.
			loc, err := chromedp.Run(tab, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(loc)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if q.Get("role") != "data_engineer" || q.Get("from") == "" || q.Get("to") == "" {
				t.Fatalf("the page opened on %s; want data engineers, with the dates in the URL", loc)
			}
			checkFits(t, tab, v)
			if v.phone {
				checkPhone(t, tab)
			}
			screenshot(t, tab, v)
			checkNumbers(t, tab, store, q)
			// Tooltips shown stay within their charts.
			checkFits(t, tab, view{name: v.name + " after the tooltips", width: v.width})
			if v.phone {
				// A narrower phone still fits.
				narrow := view{name: "phone-360", width: 360, height: 740, phone: true}
				if err := chromedp.Do(tab, chromedp.EmulateViewport(narrow.width, narrow.height, narrow.options()...)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(tab, chromedp.Poll[bool](chartsFit, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Errorf("at 360 px the charts kept their width: %v", err)
				}
				checkFits(t, tab, narrow)
			}
			if v.name == "desktop-ko" {
				// Narrowed to a phone's width, the charts follow.
				if err := chromedp.Do(tab, chromedp.EmulateViewport(400, 850)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(tab, chromedp.Poll[bool](chartsFit, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Errorf("narrowed to 400 px, the charts kept their width: %v: %q", err, eval[[]string](t, tab, overflow))
				}
				checkFits(t, tab, view{name: "desktop narrowed", width: 400})
			}
			noViolations(t, tab)
		})
	}
}

// waitDrawn waits until every chart of the page has drawn.
func waitDrawn(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[float64](drawn, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the charts did not all draw: %v (error banner: %q)", err,
			eval[string](t, ctx, `document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`))
	}
}

// shown is, for each chart, the text the page shows about it: its
// readings and every tooltip of every series' points.
const shown = `(() => {
	const out = {};
	for (const el of document.querySelectorAll(".chart")) {
		const texts = [...el.closest("section").querySelectorAll(".reading")].map(r => r.textContent);
		const c = echarts.getInstanceByDom(el);
		(c.getOption().series || []).forEach((s, si) => {
			(s.data || []).forEach((_, i) => {
				c.dispatchAction({ type: "showTip", seriesIndex: si, dataIndex: i });
				for (const d of [...el.children].filter(d => !d.querySelector("svg"))) texts.push(d.textContent);
			});
		});
		c.dispatchAction({ type: "hideTip" });
		out[el.id] = texts.join("\n");
	}
	return out;
})()`

// expected is a number a chart must show: a count, or a share shown as a
// percentage with one decimal.
type expected struct {
	what  string
	value float64
	share bool
}

// checkNumbers compares the numbers each chart shows with what the store
// computes for the filters in q.
func checkNumbers(t *testing.T, ctx context.Context, store *dashboard.Store, q url.Values) {
	t.Helper()
	bg := context.Background()
	f := dashboard.Filter{Role: q.Get("role"), Grain: q.Get("grain")}
	var err error
	if f.From, err = time.Parse(time.DateOnly, q.Get("from")); err != nil {
		t.Fatal(err)
	}
	if f.To, err = time.Parse(time.DateOnly, q.Get("to")); err != nil {
		t.Fatal(err)
	}
	pts, err := store.Volume(bg, f)
	if err != nil {
		t.Fatal(err)
	}
	var total, entry, busiest int64
	for _, p := range pts {
		total += deref(p.Postings)
		entry += deref(p.Entry)
	}
	weekly, err := store.Volume(bg, dashboard.Filter{Role: f.Role, From: f.From, To: f.To, Grain: "week"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range weekly {
		if !p.Partial {
			busiest = max(busiest, deref(p.Postings))
		}
	}
	byProvince, err := store.Breakdown(bg, "province", f)
	if err != nil {
		t.Fatal(err)
	}
	byIndustry, err := store.Breakdown(bg, "industry", f)
	if err != nil {
		t.Fatal(err)
	}
	demand, err := store.Skills(bg, f, "")
	if err != nil {
		t.Fatal(err)
	}
	byExperience, err := store.Breakdown(bg, "experience", f)
	if err != nil {
		t.Fatal(err)
	}
	var commonest dashboard.Row
	for _, r := range byExperience.Rows {
		if r.Postings > commonest.Postings {
			commonest = r
		}
	}
	meta, err := store.Meta(bg)
	if err != nil {
		t.Fatal(err)
	}
	provinces, industries, skills := byProvince.Rows, byIndustry.Rows, demand.Skills
	if total < 100 || len(provinces) == 0 || len(industries) == 0 || len(skills) == 0 || len(meta.Coverage) == 0 {
		t.Fatalf("the market is too thin to check: %d postings, %d provinces, %d industries, %d skills", total, len(provinces), len(industries), len(skills))
	}
	var month int64
	for _, m := range meta.Coverage {
		month = max(month, m.Postings)
	}
	// The exam the page shows (its default for the role), and the
	// examinees of its newest stage in the warehouse.
	reading := eval[string](t, ctx, `document.getElementById("cert-reading").textContent`)
	exam := ""
	for _, e := range meta.Exams {
		if strings.Contains(reading, e) && len(e) > len(exam) {
			exam = e
		}
	}
	in, err := store.Indicators(bg, dashboard.Filter{Role: f.Role, From: f.From, To: f.To}, "", exam, false)
	if err != nil {
		t.Fatal(err)
	}
	var sat int64
	for _, c := range in.Certs {
		if c.Examinees != nil {
			sat = *c.Examinees
		}
	}
	if sat == 0 {
		t.Fatalf("no examinees of %q to check", exam)
	}
	mix, err := store.Roles(bg, dashboard.Filter{From: f.From, To: f.To})
	if err != nil {
		t.Fatal(err)
	}
	var data int64
	for _, r := range mix.Rows {
		if r.Kind == "data" {
			data += r.Postings
		}
	}
	life, err := store.Lifetime(bg, f)
	if err != nil {
		t.Fatal(err)
	}
	var cohort *int
	for _, c := range life.Cohorts {
		if c.Median != nil && cohort == nil {
			cohort = c.Median
		}
	}
	searchShare, err := store.SearchShare(bg, f.Role, f.From, f.To)
	if err != nil {
		t.Fatal(err)
	}
	if life.Role.Median.Days == nil || cohort == nil || len(searchShare.Keywords) < 2 || searchShare.Keywords[1].Share == nil {
		t.Fatalf("the market is too thin to check: lifetime %+v, cohorts %+v, search share %+v", life.Role.Median, life.Cohorts, searchShare)
	}
	want := map[string]expected{
		"roles-chart":      {"new postings of the data roles together", float64(data), false},
		"volume":           {"new postings of the role", float64(total), false},
		"entry-chart":      {"postings open to newcomers", float64(entry), false},
		"province-chart":   {"postings of the first province, " + provinces[0].Name, float64(provinces[0].Postings), false},
		"industry-chart":   {"postings of the first industry, " + industries[0].Name, float64(industries[0].Postings), false},
		"skills":           {"share of postings asking for the first skill, " + skills[0].Name, skills[0].Share, true},
		"experience-chart": {"postings of the commonest level of experience, " + commonest.Name, float64(commonest.Postings), false},
		"indicators":       {"postings of the busiest whole week", float64(busiest), false},
		"coverage":         {"postings of the busiest month", float64(month), false},
		"cert-chart":       {"examinees of the newest stage of " + exam, float64(sat), false},
	}
	want["lifetime-chart"] = expected{"median days open of the role", float64(*life.Role.Median.Days), false}
	want["lifetime-months"] = expected{"median days open of the first month with one", float64(*cohort), false}
	want["search-share-chart"] = expected{"share of the second keyword, " + searchShare.Keywords[1].Keyword, *searchShare.Keywords[1].Share, true}
	got := eval[map[string]string](t, ctx, shown)
	for id, w := range want {
		text, ok := got[id]
		if !ok {
			t.Errorf("no chart #%s on the page", id)
			continue
		}
		if !slices.ContainsFunc(numbers(text), w.matches) {
			t.Errorf("#%s does not show the %s, %v (store, %s): %.600q", id, w.what, w.shown(), q.Encode(), text)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("chart #%s has no number checked against the store", id)
		}
	}
}

func (e expected) matches(n float64) bool {
	if e.share {
		return math.Abs(n-e.value*100) <= 0.051
	}
	return n == e.value
}

func (e expected) shown() string {
	if e.share {
		return strconv.FormatFloat(e.value*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(e.value, 'f', -1, 64)
}

// numbers are the numbers in text, written with or without thousands
// separators.
func numbers(text string) []float64 {
	var out []float64
	for _, m := range regexp.MustCompile(`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`).FindAllString(text, -1) {
		if n, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// overflow lists what does not fit: the page wider than the screen, a
// block of text or a card past the screen's edges, a text cut inside its
// box, a chart's drawing wider than its box.
const overflow = `(() => {
	const vw = window.innerWidth, out = [];
	const name = el => el.localName + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "");
	const page = document.scrollingElement.scrollWidth;
	if (page > vw) out.push("the page is " + page + " px wide in a " + vw + " px screen");
	for (const el of document.querySelectorAll("header, h1, .sub, .banner, .freshness, summary, form, h2, section, .chart, .reading, footer")) {
		const r = el.getBoundingClientRect();
		if (!el.checkVisibility()) continue; // not shown (a folded filter)
		if (r.left < -0.5 || r.right > vw + 0.5) out.push(name(el) + " spans " + Math.round(r.left) + "–" + Math.round(r.right) + " px");
		if (!el.classList.contains("chart") && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
			out.push(name(el) + " is cut: its text needs " + el.scrollWidth + "×" + el.scrollHeight + " px, it shows " + el.clientWidth + "×" + el.clientHeight);
	}
	for (const el of document.querySelectorAll(".chart")) {
		const svg = el.querySelector("svg");
		if (svg && svg.getBoundingClientRect().width > el.clientWidth + 1) out.push(name(el) + " draws " + Math.round(svg.getBoundingClientRect().width) + " px in " + el.clientWidth);
	}
	return out;
})()`

// chartsFit is whether every chart's drawing fits its box.
const chartsFit = `[...document.querySelectorAll(".chart")].every(el => {
	const svg = el.querySelector("svg");
	return svg && Math.abs(svg.getBoundingClientRect().width - el.clientWidth) <= 1;
})`

// checkFits fails t if something of the page does not fit the screen.
func checkFits(t *testing.T, ctx context.Context, v view) {
	t.Helper()
	if w := eval[float64](t, ctx, `window.innerWidth`); int64(w) != v.width {
		t.Errorf("%s: the screen is %v px wide, want %d", v.name, w, v.width)
	}
	for _, o := range eval[[]string](t, ctx, overflow) {
		t.Errorf("%s: %s", v.name, o)
	}
}

// checkPhone checks the phone's layout: one card under another, the
// subtitle on a line of its own rather than a word a line, the filters
// folded under a summary of what is chosen, opening on a tap.
func checkPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	type layout struct {
		Lefts     []float64 `json:"lefts"`
		Widths    []float64 `json:"widths"`
		Sub       float64   `json:"sub"`
		Header    float64   `json:"header"`
		Open      bool      `json:"open"`
		Form      float64   `json:"form"`
		Summary   string    `json:"summary"`
		Role      string    `json:"role"`
		SummaryOn bool      `json:"summaryOn"`
	}
	l := eval[layout](t, ctx, `(() => {
		const s = [...document.querySelectorAll("main > section")].map(e => e.getBoundingClientRect());
		const box = document.getElementById("filter-box"), role = document.querySelector('select[name="role"]');
		return { lefts: s.map(r => r.left), widths: s.map(r => r.width),
			sub: document.querySelector(".sub").getBoundingClientRect().width, header: document.querySelector("header").getBoundingClientRect().width,
			open: box.open, form: document.getElementById("filters").checkVisibility() ? document.getElementById("filters").getBoundingClientRect().height : 0,
			summary: document.getElementById("filter-summary").textContent, role: role.selectedOptions[0].textContent,
			summaryOn: document.querySelector("#filter-box summary").getBoundingClientRect().height > 0 };
	})()`)
	if len(l.Lefts) < 7 {
		t.Fatalf("%d cards", len(l.Lefts))
	}
	for i := range l.Lefts {
		if math.Abs(l.Lefts[i]-l.Lefts[0]) > 1 || math.Abs(l.Widths[i]-l.Widths[0]) > 1 {
			t.Errorf("the cards do not stack: left edges %v, widths %v", l.Lefts, l.Widths)
			break
		}
	}
	if l.Sub < 0.6*l.Header {
		t.Errorf("the subtitle is %v px wide under a %v px header: it wraps a word or two a line", l.Sub, l.Header)
	}
	if l.Open || l.Form > 0 || !l.SummaryOn || !strings.Contains(l.Summary, l.Role) {
		t.Errorf("on a phone the filters fold: open %v, form %v px high, summary shown %v reading %q (want the role %q)", l.Open, l.Form, l.SummaryOn, l.Summary, l.Role)
	}
	if err := chromedp.Do(ctx, chromedp.Click("#filter-box summary")); err != nil {
		t.Fatal(err)
	}
	if open := eval[bool](t, ctx, `document.getElementById("filter-box").open && document.getElementById("filters").checkVisibility() && document.getElementById("filters").getBoundingClientRect().height > 0`); !open {
		t.Error("a tap on the summary does not open the filters")
	}
	checkFits(t, ctx, view{name: "phone, filters open", width: 400})
	if err := chromedp.Do(ctx, chromedp.Click("#filter-box summary")); err != nil {
		t.Fatal(err)
	}
}

// screenshot writes the whole page, as seen in v, to .local/v.name.png:
// the screen made as tall as the page, and the charts settled to it.
// (Chromium's capture beyond the screen resizes the page while it draws
// it, and the charts caught mid-resize.)
func screenshot(t *testing.T, ctx context.Context, v view) {
	t.Helper()
	height := eval[float64](t, ctx, `document.documentElement.scrollHeight`)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(v.width, int64(math.Ceil(height)), v.options()...)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsFit, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("%s: the charts did not settle for the screenshot: %v", v.name, err)
	}
	// Every chart's drawing animation over, so that the picture shows
	// whole lines (zrender's animation has no clip left).
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll(".chart")].every(el => {
		const c = echarts.getInstanceByDom(el);
		return !c || c.getZr().animation.isFinished();
	})`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("%s: the charts' animations did not end for the screenshot: %v", v.name, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(v.width, v.height, v.options()...)); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", ".local")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, v.name+".png")
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// TestBrowserURL: without a role the page opens on data engineers; a
// filter in the URL the page cannot use is said in a banner, in the page's
// language with the server's own words, and the default shown instead; a
// combination the server refuses is said too, never passed over.
func TestBrowserURL(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := server(t)
	urlBanner := `document.getElementById("url-problems").hidden ? "" : document.getElementById("url-problems").textContent`
	errBanner := `document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`
	tests := []struct {
		query string
		// The banner about the URL holds these, or is hidden when none.
		says []string
		// The error banner holds these, or is hidden when none.
		fails []string
		role  string // the role shown
	}{
		{"", nil, nil, "data_engineer"},
		{"?role=all", nil, nil, "all"},
		{"?role=nope", []string{"주소", "직무(role=nope)", "데이터 엔지니어", `role="nope": want all or one of`}, nil, "data_engineer"},
		{"?lang=en&role=nope", []string{"The URL", "Role (role=nope)", "Data engineer", `role="nope": want all or one of`}, nil, "data_engineer"},
		{"?role=data_analyst&from=2020-13-01", []string{"시작(from=2020-13-01)", `from="2020-13-01": want a date like`}, nil, "data_analyst"},
		{"?lang=en&to=2026-02-30&entry=maybe", []string{"To (to=2026-02-30)", "Newcomers only (entry=maybe)", `entry="maybe": want 1`}, nil, "data_engineer"},
		{"?rolle=data_analyst", []string{"rolle=data_analyst", `unknown parameter "rolle"`}, nil, "data_engineer"},
		{"?role=all&from=2026-09-20&to=2026-09-10", nil, []string{"그릴 수 없습니다", "is after"}, "all"},
	}
	for _, tc := range tests {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+tc.query)); err != nil {
			t.Fatal(err)
		}
		if tc.fails == nil {
			waitDrawn(t, ctx)
		}
		// The banner comes once the server has answered about each value.
		if len(tc.says) > 0 {
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("url-problems").hidden`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Errorf("%s: no banner about the URL: %v", tc.query, err)
				continue
			}
		}
		if len(tc.fails) > 0 {
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("error").hidden`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Errorf("%s: no error banner: %v", tc.query, err)
				continue
			}
		}
		banner, failure := eval[string](t, ctx, urlBanner), eval[string](t, ctx, errBanner)
		for _, want := range tc.says {
			if !strings.Contains(banner, want) {
				t.Errorf("%s: the banner about the URL %q does not say %q", tc.query, banner, want)
			}
		}
		if len(tc.says) == 0 && banner != "" {
			t.Errorf("%s: a banner about the URL: %q", tc.query, banner)
		}
		for _, want := range tc.fails {
			if !strings.Contains(failure, want) {
				t.Errorf("%s: the error banner %q does not say %q", tc.query, failure, want)
			}
		}
		if len(tc.fails) == 0 && failure != "" {
			t.Errorf("%s: an error: %q", tc.query, failure)
		}
		if role := eval[string](t, ctx, `document.querySelector('select[name="role"]').value`); role != tc.role {
			t.Errorf("%s: the page shows role %q, want %q", tc.query, role, tc.role)
		}
		// The URL now says what is shown.
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(loc, "role="+tc.role) || strings.Contains(loc, "nope") || strings.Contains(loc, "rolle") || strings.Contains(loc, "2020-13-01") {
			t.Errorf("%s: the URL became %s; want the view shown, role=%s", tc.query, loc, tc.role)
		}
	}
	// Once a filter changes, the URL no longer holds what the banner
	// spoke of: it goes.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?role=nope"), chromedp.WaitVisible("#url-problems")); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `document.querySelector('select[name="grain"]').value = "month", document.querySelector('select[name="grain"]').dispatchEvent(new Event("change", {bubbles: true}))`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("url-problems").hidden && location.search.includes("grain=month")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("after a filter changed, the banner about the URL stayed: %v", err)
	}
	noViolations(t, ctx)
}

// deref reads a count that may be null (a period the warehouse does not
// cover) as 0.
func deref(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}
