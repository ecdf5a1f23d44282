package dashboard_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jobpulse/pkg/saramin"
)

// manyDistricts is the fixture with posting 1 listing twenty districts of
// 서울 (강남구 first).
func manyDistricts(p *saramin.Posting) {
	if p.ID != "1" {
		return
	}
	p.LocationCodes, p.LocationNames = nil, nil
	for i := range 20 {
		p.LocationCodes = append(p.LocationCodes, fmt.Sprint(101010+10*i))
	}
}

// TestBrowserIndicatorsRegions opens the page in Chromium, in Korean and
// in English, and checks what the region, indicators and certification
// charts show: the region chart says a posting counts in each region it
// lists and shows the districts past the first 15 on request; the
// indicators' axes are named with their units, the axis spans the weeks
// both series share until the whole span is asked for, and the reading
// says interest ignores the province; the certification chart names each
// stage's counts as the source does, with the fixture's numbers.
func TestBrowserIndicatorsRegions(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := serve(t, warehouseFile(t, manyDistricts, "정보처리기사"))
	page := srv.URL + "/?role=all&from=2026-09-01&to=2026-09-30&province=%EC%84%9C%EC%9A%B8"
	ready := func(lang string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(page+lang),
			chromedp.WaitVisible(`#province-chart[data-ready="1"]`),
			chromedp.WaitVisible(`#indicators[data-ready="1"]`),
			chromedp.WaitVisible(`#cert-chart[data-ready="1"]`),
		); err != nil {
			t.Fatalf("load the page%s: %v", lang, err)
		}
	}
	poll := func(js, what string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	option := func(id, expr string) string {
		t.Helper()
		return eval[string](t, ctx, `(() => { const o = echarts.getInstanceByDom(document.getElementById("`+id+`")).getOption(); return `+expr+`; })()`)
	}
	ready("")

	// Regions: 20 districts of 서울, 15 drawn, the rest on request.
	if note := text(t, ctx, "#province-note"); !strings.Contains(note, "여러 지역을 올린 공고는 각 지역에 셉니다") || !strings.Contains(note, "4건") {
		t.Errorf("region note %q", note)
	}
	if rows, more := attr(t, ctx, "#province-chart", "data-rows"), text(t, ctx, "#province-more"); rows != "15" || !strings.Contains(more, "5곳") {
		t.Errorf("districts: %s drawn, button %q; want 15 and 5 more", rows, more)
	}
	if r := text(t, ctx, "#province-reading"); !strings.Contains(r, "강남구") || !strings.Contains(r, "4건") {
		t.Errorf("district reading %q; want 강남구, listed by all 4", r)
	}
	eval[bool](t, ctx, `(document.getElementById("province-more").click(), true)`)
	poll(`document.getElementById("province-chart").dataset.rows === "20"`, "the button did not draw all 20 districts")
	eval[bool](t, ctx, `(document.getElementById("province-more").click(), true)`)
	poll(`document.getElementById("province-chart").dataset.rows === "15"`, "the button did not go back to 15 districts")

	// Indicators: named axes, the shared weeks, interest national.
	if got := option("indicators", `[o.xAxis[0].name, ...o.yAxis.map(a => a.name)].join(" | ")`); got != "주(월요일 시작) | 신규 공고(건/주) | 검색 관심도(기준 검색어 평균=100)" {
		t.Errorf("indicators axes %q", got)
	}
	if weeks, postings := attr(t, ctx, "#indicators", "data-weeks"), attr(t, ctx, "#indicators", "data-postings"); weeks != "3" || postings != "4" {
		t.Errorf("indicators: %s weeks, %s postings; want the 3 weeks both cover and the 4 postings listing 서울", weeks, postings)
	}
	if r := text(t, ctx, "#indicators-reading"); !strings.Contains(r, "3주를 그립니다") || !strings.Contains(r, "검색 관심도는 전국 값이라 지역 조건은 공고에만") {
		t.Errorf("indicators reading %q", r)
	}
	eval[bool](t, ctx, `(document.getElementById("indicators-span").click(), true)`)
	poll(`document.getElementById("indicators").dataset.weeks === "4" && location.search.includes("span=all")`, "the whole span did not show or reach the URL")

	// Certifications: each stage's counts as Q-Net names them.
	if r := text(t, ctx, "#cert-reading"); !strings.Contains(r, "정보처리기사 2026년 필기: 접수자 1,210명, 응시자 1,200명, 합격자 420명(합격률 35%)") ||
		!strings.Contains(r, "출처: https://example.invalid") {
		t.Errorf("certification reading %q", r)
	}
	if got := option("cert-chart", `o.series.map(s => s.name + "=" + s.data.join(",")).join(" | ")`); got != "필기 접수자=1010,1210 | 필기 응시자=1000,1200 | 필기 합격자=300,420 | 필기 합격률=30,35" {
		t.Errorf("certification series %q", got)
	}

	// English.
	ready("&lang=en")
	if got := option("indicators", `[o.xAxis[0].name, ...o.yAxis.map(a => a.name)].join(" | ")`); got != "Week (from Monday) | New postings (per week) | Search interest (anchor keyword's average = 100)" {
		t.Errorf("indicators axes in English %q", got)
	}
	if got := option("cert-chart", `[o.xAxis[0].name, ...o.yAxis.map(a => a.name), ...o.series.map(s => s.name)].join(" | ")`); got != "Year | People | Pass rate (%) | Written applicants (registered) | Written examinees (sat) | Written passers | Written pass rate" {
		t.Errorf("certification chart in English %q", got)
	}
	for sel, want := range map[string]string{
		"#province-note":      "A posting listing several regions counts in each.",
		"#province-more":      "Show the other 5",
		"#cert-reading":       "Written: 1,210 registered, 1,200 sat, 420 passed (pass rate 35%)",
		"#indicators-reading": "Search interest is national: the province filter applies to the postings only.",
	} {
		if got := text(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s reads %q; want %q in it", sel, got, want)
		}
	}
	noViolations(t, ctx)
}
