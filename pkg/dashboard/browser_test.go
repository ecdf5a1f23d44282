package dashboard_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowser loads the page in headless Chromium, checks that the charts
// render with the fixture's numbers, changes a filter and checks that the
// charts and the shareable URL follow, and saves a screenshot under
// .local/.
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
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("..", "..", ".local")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "dashboard-test.png")
	if err := os.WriteFile(name, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", name)

	// The shared URL opens the same view, in English on request.
	if err := chromedp.Do(ctx, chromedp.Navigate(url2+"&lang=en"), chromedp.WaitVisible(`#volume[data-ready="1"]`)); err != nil {
		t.Fatalf("open the shared URL: %v", err)
	}
	if heading, total := text(t, ctx, "section h2"), attr(t, ctx, "#volume", "data-total"); heading != "Hiring over time" || total != "2" {
		t.Errorf("shared URL in English: heading %q, total %q", heading, total)
	}
	if labels := eval[string](t, ctx, `[...document.querySelectorAll("h1, h2, label span, .reading")].map(e => e.textContent).join(" | ")`); regexp.MustCompile(`[가-힣]{2,}`).MatchString(strings.NewReplacer("데이터 엔지니어", "", "서울", "", "강남구", "", "경기", "", "IT·웹·통신", "", "정보처리기사", "").Replace(labels)) {
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
func browser(t *testing.T) context.Context {
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
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
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
