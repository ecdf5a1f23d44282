package dashboard_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/saramin"
)

// Text the Saramin and Q-Net APIs could send. The warehouse keeps it as
// sent; the page must show it as text.
const (
	hostileTitle   = "<script>alert(1)</script> 데이터 엔지니어"
	hostileCompany = "<img src=x onerror=alert(1)> (주)"
	hostileSkill   = "<img src=x onerror=alert(1)>"
	hostileSkill2  = "<script>alert(1)</script>"
	hostileSkill3  = "R&D <b>bold</b> &amp;"
	hostileExam    = "<script>alert(1)</script> 기사 & <img src=x onerror=alert(1)>"
	hostileURL     = "javascript:alert(1)"
)

var hostileSkills = []string{hostileSkill, hostileSkill2, hostileSkill3}

// hostileServer serves the fixture with hostile text in every posting's
// title, company and keywords, and in the exam's name. (Industry and
// region names are the warehouse's own, by code: a code it does not know
// fails the load's checks.)
func hostileServer(t *testing.T) *httptest.Server {
	t.Helper()
	return serve(t, warehouseFile(t, func(p *saramin.Posting) {
		p.Title, p.CompanyName = hostileTitle, hostileCompany
		p.Keywords = append(p.Keywords, hostileSkills...)
		if p.ID == "2" {
			p.URL = hostileURL
		}
	}, hostileExam))
}

// getRaw answers path with its status, headers and body.
func getRaw(t *testing.T, srv *httptest.Server, path string) (int, http.Header, []byte) {
	t.Helper()
	r, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r.StatusCode, r.Header, body
}

// TestHostileTextAPI: the API answers text from the APIs as it is, in JSON
// no browser reads as HTML: served as JSON, never sniffed, with <, > and
// & written as \u escapes, the bad filters it repeats too.
func TestHostileTextAPI(t *testing.T) {
	t.Parallel()
	srv := hostileServer(t)
	span := "&from=2026-09-01&to=2026-09-30"
	tests := []struct {
		path string
		code int
		want []string // texts the answer holds, decoded
	}{
		{"/api/meta", 200, []string{hostileExam}},
		{"/api/skills?role=all" + span, 200, []string{"파이썬"}}, // keywords are not skills: the dictionary's names only
		{"/api/indicators?exam=" + url.QueryEscape(hostileExam), 200, []string{hostileExam}},
		{"/api/volume?industry=" + url.QueryEscape(hostileTitle), 400, []string{hostileTitle}},
		{"/api/indicators?exam=" + url.QueryEscape(hostileCompany), 400, []string{hostileCompany, hostileExam}},
		// The grid shows titles and companies, and searches them as sent.
		{"/api/postings?q=" + url.QueryEscape("<script>") + span, 200, []string{hostileTitle, hostileCompany, "<script>"}},
		{"/api/top?role=all" + span, 200, []string{hostileTitle, hostileCompany}},
		{"/api/postings?district=" + url.QueryEscape(hostileTitle), 400, []string{hostileTitle}},
	}
	for _, tc := range tests {
		code, h, body := getRaw(t, srv, tc.path)
		if code != tc.code {
			t.Errorf("%s: %d, want %d: %s", tc.path, code, tc.code, body)
			continue
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Content-Type %q, X-Content-Type-Options %q; want JSON, never sniffed", tc.path, ct, h.Get("X-Content-Type-Options"))
		}
		if i := strings.IndexAny(string(body), "<>&"); i >= 0 {
			t.Errorf("%s: a raw %q in the answer: %s", tc.path, body[i], body)
		}
		var texts []string
		collect(mustJSON(t, body), &texts)
		for _, w := range tc.want {
			if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, w) }) {
				t.Errorf("%s: no text holds %q as sent: %s", tc.path, w, body)
			}
		}
	}
	// Titles and companies are not shown at all.
	for _, path := range []string{"/api/meta", "/api/skills?role=all" + span, "/api/breakdown?by=industry&role=all" + span, "/api/volume?role=all" + span} {
		_, _, body := getRaw(t, srv, path)
		var texts []string
		collect(mustJSON(t, body), &texts)
		if slices.ContainsFunc(texts, func(s string) bool { return s == hostileTitle || s == hostileCompany }) {
			t.Errorf("%s shows a posting's title or company: %s", path, body)
		}
	}
	var sk struct{ Skills []dashboard.Skill }
	get(t, srv, "/api/skills?role=all"+span, &sk)
	if len(sk.Skills) == 0 || sk.Skills[0].Name != "Python" ||
		slices.ContainsFunc(sk.Skills, func(k dashboard.Skill) bool { return slices.Contains(hostileSkills, k.Name) }) {
		t.Errorf("skills %+v; want the dictionary's, Python first, and none of the keywords %q", sk.Skills, hostileSkills)
	}
}

// TestPageHostileHeaders: the page may run only its own scripts, so even
// markup that slipped into it could not run a script of its own.
func TestPageHostileHeaders(t *testing.T) {
	t.Parallel()
	srv := server(t)
	for _, path := range []string{"/", "/app.js", "/api/meta"} {
		code, h, _ := getRaw(t, srv, path)
		csp := h.Get("Content-Security-Policy")
		if code != 200 || h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(csp, "script-src 'self'") ||
			!strings.Contains(csp, "object-src 'none'") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: %d, nosniff %q, CSP %q", path, code, h.Get("X-Content-Type-Options"), csp)
		}
	}
}

// TestPageWritesText: the page's script puts text into the page only as
// text (textContent, new Option, ECharts' options, which ECharts escapes
// in its tooltips), never as HTML.
func TestPageWritesText(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	rules := []struct{ re, why string }{
		{`\.(innerHTML|outerHTML|insertAdjacentHTML|setHTMLUnsafe)\b|document\.write|DOMParser|createContextualFragment`, "parses HTML: write text with setText (textContent)"},
		{`\beval\(|new Function|set(Timeout|Interval)\(\s*["'` + "`" + `]`, "runs text as code"},
		{`\bformatter:\s*(\(|function\b|[A-Za-z_$][\w$]*\s*=>)`, "a formatter function answers HTML in a tooltip: escape every text in it with echarts.format.encodeHTML"},
	}
	lines := strings.Split(string(src), "\n")
	for _, r := range rules {
		re := regexp.MustCompile(r.re)
		for i, line := range lines {
			if m := re.FindString(line); m != "" {
				t.Errorf("app.js:%d: %s %s: %s", i+1, m, r.why, strings.TrimSpace(line))
			}
		}
	}
	if !strings.Contains(string(src), ".textContent = text") {
		t.Error("app.js has no setText writing textContent")
	}
}

func mustJSON(t *testing.T, body []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

// collect gathers every string in a decoded JSON value.
func collect(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case map[string]any:
		for _, c := range x {
			collect(c, out)
		}
	case []any:
		for _, c := range x {
			collect(c, out)
		}
	}
}

// TestBrowserHostileText opens the page over hostile text in Chromium: the
// readings, the chart labels, the options and ECharts' tooltips (HTML it
// writes itself) show the text as sent, and nothing in it became an
// element, an event handler or a script that ran.
func TestBrowserHostileText(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := hostileServer(t)
	q := url.Values{"role": {"all"}, "from": {"2026-09-01"}, "to": {"2026-09-30"}, "exam": {hostileExam}}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?"+q.Encode()),
		chromedp.WaitVisible(`#skills[data-ready="1"]`),
		chromedp.WaitVisible(`#indicators[data-ready="1"]`),
		chromedp.WaitVisible(`#grid[data-ready="1"]`),
		chromedp.WaitVisible(`#top-list[data-ready="1"]`),
	); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	// The grid and the top postings show titles and companies as sent.
	if cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#grid tbody tr:first-child td")].slice(0, 2).map(td => td.firstChild.textContent)
		.concat([document.querySelector("#top-list a").textContent])`); !slices.Equal(cells, []string{hostileCompany, hostileTitle, hostileTitle}) {
		t.Errorf("the grid's company and title and the top posting read %q; want %q and %q as text", cells, hostileCompany, hostileTitle)
	}
	// A posting whose address is not a web address is no link: its title
	// stays, as text.
	if links, plain := eval[int](t, ctx, `document.querySelectorAll('a[href^="javascript:"]').length`),
		eval[int](t, ctx, `[...document.querySelectorAll("#grid tbody span")].filter(s => s.textContent === `+strconv.Quote(hostileTitle)+`).length`); links != 0 || plain != 1 {
		t.Errorf("%d links to %q on the page, %d titles left as text; want 0 and 1", links, hostileURL, plain)
	}
	if r := text(t, ctx, "#skills-reading"); !strings.Contains(r, "파이썬") || strings.Contains(r, hostileSkill) {
		t.Errorf("skills reading %q; want 파이썬, never the keyword %q", r, hostileSkill)
	}
	if r := text(t, ctx, "#cert-reading"); !strings.Contains(r, hostileExam) {
		t.Errorf("certification reading %q; want the exam %q as text", r, hostileExam)
	}
	if o := eval[string](t, ctx, `document.querySelector('select[name="exam"]').selectedOptions[0].textContent`); o != hostileExam {
		t.Errorf("the exam chosen reads %q, want %q", o, hostileExam)
	}
	labels := eval[[]string](t, ctx, `[...document.querySelectorAll("#skills svg text")].map(e => e.textContent)`)
	for _, s := range hostileSkills {
		if slices.Contains(labels, s) {
			t.Errorf("a label of the skills chart reads the keyword %q: %q", s, labels)
		}
	}

	// ECharts writes its tooltips as HTML: the text in them is escaped.
	tips := eval[[]tooltip](t, ctx, `(() => {
		const tip = (id, series, n) => {
			const el = document.getElementById(id), c = echarts.getInstanceByDom(el), out = [];
			for (let i = 0; i < n(c); i++) {
				c.dispatchAction({ type: "showTip", seriesIndex: series, dataIndex: i });
				for (const d of [...el.children].filter(d => !d.querySelector("svg"))) {
					out.push({ chart: id, text: d.textContent, tags: [...new Set([...d.querySelectorAll("*")].map(e => e.localName))] });
				}
			}
			return out;
		};
		return tip("skills", 0, c => c.getOption().series[0].data.length)
			.concat(tip("cert-chart", 0, c => c.getOption().xAxis[0].data.length));
	})()`)
	for _, tip := range tips {
		for _, tag := range tip.Tags {
			if tag != "div" && tag != "span" {
				t.Errorf("a %s tooltip holds a <%s>: %q", tip.Chart, tag, tip.Text)
			}
		}
		for _, s := range hostileSkills {
			if tip.Chart == "skills" && strings.Contains(tip.Text, s) {
				t.Errorf("a tooltip of the skills chart shows the keyword %q: %q", s, tip.Text)
			}
		}
	}
	// The certification chart is titled with the exam, as text.
	if titles := eval[[]string](t, ctx, `[...document.querySelectorAll("#cert-chart svg text")].map(e => e.textContent)`); !slices.Contains(titles, hostileExam) {
		t.Errorf("no text of the certification chart reads %q: %q", hostileExam, titles)
	}

	// Nothing became an element, a handler or a script.
	if found := eval[[]string](t, ctx, `[...document.querySelectorAll("*")].filter(e =>
		["img", "iframe", "object", "embed", "image", "foreignObject", "b"].includes(e.localName) ||
		(e.localName === "script" && !e.src) ||
		[...e.attributes].some(a => a.name.startsWith("on"))).map(e => e.outerHTML.slice(0, 120))`); len(found) > 0 {
		t.Errorf("the text became markup: %q", found)
	}
	noViolations(t, ctx)
}

// tooltip is what an ECharts tooltip shows.
type tooltip struct {
	Chart string   `json:"chart"`
	Text  string   `json:"text"`
	Tags  []string `json:"tags"`
}
