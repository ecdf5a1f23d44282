package dashboard_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserGrid opens the page over the fixture with the grid's fields
// and checks the grid and the top postings against SQL run on the same
// warehouse: the count and pager, a row's cells and link, a search in
// Korean, a chart's bar opening the grid narrowed to it, the top postings'
// rankings and caveat, English, and the stacked cards of a 400 px phone.
func TestBrowserGrid(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv, db := gridServer(t)
	count := func(where string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM core.recruit WHERE posted_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND ` + where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitText := func(sel, want string) {
		t.Helper()
		js := fmt.Sprintf(`document.querySelector(%q).textContent.includes(%q)`, sel, want)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Errorf("%s does not read %q: %q", sel, want, text(t, ctx, sel))
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?role=all&grain=day&from=2026-09-01&to=2026-09-30"),
		chromedp.WaitVisible(`#grid[data-ready="1"]`),
		chromedp.WaitVisible(`#top-list[data-ready="1"]`),
		chromedp.WaitVisible(`#province-chart[data-ready="1"]`),
	); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	all := count("true")
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", all, all))
	// The newest posting first: 7, 분석가, posted on day 15.
	type cell struct{ Text, Href, Rel, Target string }
	first := eval[[]cell](t, ctx, `[...document.querySelectorAll("#grid tbody tr:first-child td")].map(td => {
		const a = td.querySelector("a");
		return { text: td.textContent, href: a ? a.href : "", rel: a ? a.rel : "", target: a ? a.target : "" };
	})`)
	if len(first) != 8 || first[0].Text != "(주)데이터컴퍼니" || !strings.HasPrefix(first[1].Text, "데이터 분석가") || !strings.HasSuffix(first[1].Href, "rec_idx=7") ||
		first[1].Rel != "noopener" || first[1].Target != "_blank" || first[2].Text != "서울 > 강남구" || first[3].Text != "경력 10년 이상" ||
		first[6].Text != "120" || first[7].Text != "12" {
		t.Errorf("the first row: %+v", first)
	}
	if !strings.Contains(first[1].Text, "합성") {
		t.Errorf("the fixture's postings are the emulator's: the title %q is not marked synthetic", first[1].Text)
	}
	// The top postings rank by views per day open unless asked, and say so.
	var perDay string
	if err := db.QueryRow(`SELECT id FROM core.recruit ORDER BY read_count / greatest(1, date_diff('day', posted_date, coalesce(closed_date, (SELECT CAST(timezone('Asia/Seoul', max(as_of)) AS DATE) FROM staging.recruit_loads)))) DESC, id LIMIT 1`).Scan(&perDay); err != nil {
		t.Fatal(err)
	}
	if by, top := attr(t, ctx, "#top-list", "data-by"), attr(t, ctx, "#top-list", "data-first"); by != "views_per_day" || top != perDay {
		t.Errorf("top postings by %q, first %q; want views per day open, %s first", by, top, perDay)
	}
	if c := text(t, ctx, "#top-caveat"); !strings.Contains(c, "하루당 조회수") || !strings.Contains(c, "늘어납니다") {
		t.Errorf("the top postings' caveat %q", c)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`input[name="top-by"][value="applications"]`)); err != nil {
		t.Fatal(err)
	}
	var mostApplied string
	if err := db.QueryRow(`SELECT id FROM core.recruit ORDER BY apply_count DESC, id LIMIT 1`).Scan(&mostApplied); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById("top-list").dataset.by === "applications" && document.getElementById("top-list").dataset.first === %q`, mostApplied),
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("by applications the top posting is %s; shown %q", mostApplied, attr(t, ctx, "#top-list", "data-first"))
	}

	// A search in Korean finds the Python postings, by their skills.
	python := count("list_contains(skills, 'Python')")
	eval[bool](t, ctx, `(() => { const q = document.querySelector('#grid-tools input[name="q"]'); q.value = "파이썬"; q.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", python, python))
	waitText("#grid-reading", "Python")

	// A bar of the region chart opens the grid on its province (the
	// search stays).
	seoul := count("list_contains(skills, 'Python') AND list_contains(provinces, '서울')")
	eval[bool](t, ctx, `(() => { const c = echarts.getInstanceByDom(document.getElementById("province-chart"));
		c.trigger("click", { dataIndex: c.getOption().yAxis[0].data.indexOf("서울") }); return true; })()`)
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", seoul, seoul))
	waitText("#grid-narrow-text", "서울")
	// Cleared, the page's filters alone.
	eval[bool](t, ctx, `(() => { const q = document.querySelector('#grid-tools input[name="q"]'); q.value = ""; return true; })()`)
	if err := chromedp.Do(ctx, chromedp.Click("#grid-clear")); err != nil {
		t.Fatal(err)
	}
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", all, all))
	// A volume bar opens the grid on its day.
	day := count("posted_date = DATE '2026-09-16'")
	eval[bool](t, ctx, `(() => { const c = echarts.getInstanceByDom(document.getElementById("volume"));
		c.trigger("click", { dataIndex: c.getOption().xAxis[0].data.indexOf("2026-09-16") }); return true; })()`)
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", day, day))
	// A bar of the experience chart, on its level.
	if err := chromedp.Do(ctx, chromedp.Click("#grid-clear"), chromedp.WaitVisible(`#experience-chart[data-ready="1"]`)); err != nil {
		t.Fatal(err)
	}
	experienced := count("experience_code = 2 AND experience_min BETWEEN 3 AND 4")
	eval[bool](t, ctx, `(() => { const c = echarts.getInstanceByDom(document.getElementById("experience-chart"));
		c.trigger("click", { dataIndex: c.getOption().yAxis[0].data.indexOf("경력 3~4년") }); return true; })()`)
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", experienced, experienced))
	waitText("#grid-narrow-text", "경력 3~4년")
	// A week's postings bar of the indicators chart, on its week; a month
	// of the history chart, on its month.
	if err := chromedp.Do(ctx, chromedp.Click("#grid-clear"), chromedp.WaitVisible(`#indicators[data-ready="1"]`)); err != nil {
		t.Fatal(err)
	}
	week := count("posted_date BETWEEN DATE '2026-09-14' AND DATE '2026-09-20'")
	eval[bool](t, ctx, `(() => { const c = echarts.getInstanceByDom(document.getElementById("indicators"));
		c.trigger("click", { seriesIndex: 0, dataIndex: c.getOption().series[0].data.findIndex(d => d.value[0] === "2026-09-14") }); return true; })()`)
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", week, week))
	if err := chromedp.Do(ctx, chromedp.Click("#grid-clear")); err != nil {
		t.Fatal(err)
	}
	month := count("posted_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'")
	eval[bool](t, ctx, `(() => { const c = echarts.getInstanceByDom(document.getElementById("coverage"));
		c.trigger("click", { dataIndex: c.getOption().xAxis[0].data.indexOf("2026-09") }); return true; })()`)
	waitText("#grid-count", fmt.Sprintf("1–%d / %d건", month, month))

	// In English, and on a phone: the table becomes cards, nothing wider
	// than the screen.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(400, 850, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/?role=all&grain=day&from=2026-09-01&to=2026-09-30&lang=en"),
		chromedp.WaitVisible(`#grid[data-ready="1"]`), chromedp.WaitVisible(`#volume[data-ready="1"]`)); err != nil {
		t.Fatal(err)
	}
	waitText("#grid-count", fmt.Sprintf("1–%d of %d", all, all))
	if h := eval[string](t, ctx, `document.querySelector("#grid th").textContent`); h != "Company" {
		t.Errorf("English column %q", h)
	}
	cards := eval[[]string](t, ctx, `[...document.querySelectorAll("#grid tbody tr")].map(tr => getComputedStyle(tr).display + " " + tr.querySelector("td").dataset.label)`)
	if len(cards) != all || cards[0] != "block Company" {
		t.Errorf("on a phone the rows are cards labelled in English: %q", cards)
	}
	checkFits(t, ctx, view{name: "phone grid", width: 400})
	noViolations(t, ctx)
}
