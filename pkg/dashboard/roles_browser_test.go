package dashboard_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jobpulse/pkg/role"
)

// TestBrowserRoles opens the roles section over itPostings: the bars and
// the reading hold the fixture's numbers, the note the classifier's
// measured figures, the role filter lists data roles, then the groups, then
// the rest, and a click on a bar makes it the role filter, in Korean and in
// English.
func TestBrowserRoles(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := serve(t, itWarehouse(t))
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?role=data_engineer&from=2026-09-14&to=2026-09-20"),
		chromedp.WaitVisible(`#roles-chart[data-ready="1"]`),
		chromedp.WaitVisible(`#volume[data-ready="1"]`),
	); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	// 14–20 Sep: 9 postings, 8 of them IT, 3 of those data roles (analyst,
	// scientist, ML); the week before: 1 data role of 6 postings.
	if d, it, m := attr(t, ctx, "#roles-chart", "data-data"), attr(t, ctx, "#roles-chart", "data-it"), attr(t, ctx, "#roles-chart", "data-market"); d != "3" || it != "8" || m != "9" {
		t.Errorf("roles chart: %s data, %s IT, %s market; want 3, 8, 9", d, it, m)
	}
	r := text(t, ctx, "#roles-reading")
	for _, want := range []string{"IT 직무 신규 공고 8건", "3건", "IT 직무의 37.5%", "전체 시장의 33.3%", "16.7%"} {
		if !strings.Contains(r, want) {
			t.Errorf("roles reading %q lacks %q", r, want)
		}
	}
	ev, err := role.Evaluated()
	if err != nil {
		t.Fatal(err)
	}
	note := text(t, ctx, "#roles-note")
	for _, want := range []string{"pkg/role", "129개", ftoa(ev.HeldOut.Groups.Precision), ftoa(ev.HeldOut.Groups.Recall), ftoa(ev.HeldOut.Roles.Recall)} {
		if !strings.Contains(note, want) {
			t.Errorf("roles note %q lacks %q", note, want)
		}
	}
	options := eval[[]string](t, ctx, `[...document.querySelector('select[name="role"]').options].map(o => o.value)`)
	if len(options) != 12 || options[0] != "all" || options[11] != "other" ||
		strings.Join(options[5:11], ",") != "backend,frontend,mobile,infra,security,other_it" {
		t.Errorf("role options %v; want all, the data roles, the groups, other", options)
	}
	for _, o := range options[1:5] {
		if _, ok := role.Parse(o); !ok {
			t.Errorf("role options %v: %q among the data roles", options, o)
		}
	}
	if bars := eval[int](t, ctx, `document.querySelectorAll("#roles-chart svg path").length`); bars < 11 {
		t.Errorf("the roles chart drew %d paths; want a bar per role and group", bars)
	}

	// A click on the backend bar makes backend the role filter: the volume
	// chart shows its one posting of the week.
	// The point half way along the backend bar, once the bar has grown
	// there (ECharts animates it).
	at := `(() => {
		const el = document.getElementById("roles-chart"), c = echarts.getInstanceByDom(el);
		el.scrollIntoView({ block: "center" });
		const i = el.rowsShown.indexOf("backend"), p = c.convertToPixel({ seriesIndex: 0 }, [0.5, i]), b = el.getBoundingClientRect();
		return [b.left + p[0], b.top + p[1]];
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const [x, y] = `+at+`; const e = document.elementFromPoint(x, y); return !!e && e.tagName === "path"; })()`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the backend bar never reached half its length: %v", err)
	}
	click := eval[[]float64](t, ctx, at)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(click[0], click[1])); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('select[name="role"]').value === "backend" && document.getElementById("volume").dataset.total === "1"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("after a click on the backend bar: role %q, volume total %q: %v", eval[string](t, ctx, `document.querySelector('select[name="role"]').value`),
			attr(t, ctx, "#volume", "data-total"), err)
	}
	if n := text(t, ctx, "#volume-note"); !strings.Contains(n, "데이터 직무별로만") || !strings.Contains(n, "백엔드") {
		t.Errorf("volume note for a group %q; want it to say open postings are counted by data role", n)
	}
	if u, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.Contains(u, "role=backend") {
		t.Errorf("URL after the click %q (%v); want role=backend", u, err)
	}

	// In English.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?role=backend&from=2026-09-14&to=2026-09-20&lang=en"), chromedp.WaitVisible(`#roles-chart[data-ready="1"]`)); err != nil {
		t.Fatal(err)
	}
	heading := eval[string](t, ctx, `document.getElementById("roles-chart").previousElementSibling.textContent`)
	r, note = text(t, ctx, "#roles-reading"), text(t, ctx, "#roles-note")
	label := eval[string](t, ctx, `document.querySelector('select[name="role"]').selectedOptions[0].textContent`)
	if heading != "Data roles beside other IT work" || label != "Backend" || !strings.Contains(r, "Of 8 new IT postings") ||
		!strings.Contains(r, "33.3% of the whole market") || !strings.Contains(note, "129 held-out titles") {
		t.Errorf("English: heading %q, role %q, reading %q, note %q", heading, label, r, note)
	}
	noViolations(t, ctx)
}

// ftoa writes x as the page does (toFixed(2)).
func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
