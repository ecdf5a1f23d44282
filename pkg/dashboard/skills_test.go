package dashboard_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/skills"
)

// fixtureKeywords are the fixture postings' keywords, as Saramin sends
// them: tools, which the transformer reads as skills, mixed with an
// industry, a job code or office work, which it does not.
var fixtureKeywords = map[string][]string{
	"1": {"Python", "SQL", "Spark", "건설회사"},   // data engineer, 서울, newcomers, IT, 7 Sep
	"2": {"파이썬", "SQL", "태블로", "요금정산"},        // data analyst, 경기, newcomers, finance, 8 Sep
	"3": {"Java", "AWS", "MySQL", "종합포털"},     // backend (other), 서울, IT, 9 Sep
	"4": {"Python", "PyTorch", "빅데이터"},        // data scientist, 경기, finance, 15 Sep
	"5": {"Spark", "에어플로우", "AWS", "데이터엔지니어"}, // data engineer, 경기, IT, 16 Sep
	"6": {"정비기사"},                             // frontend (other), 서울, newcomers, finance, 16 Sep
	"7": {"SQL", "엑셀", "Tableau"},             // data analyst, 서울, IT, 22 Sep
}

// notSkills are the fixture's keywords that are not skills, and the
// warehouse's industry names.
var notSkills = []string{"건설회사", "요금정산", "종합포털", "빅데이터", "데이터엔지니어", "정비기사", "ETL"}

type skillsAnswer struct {
	Filter     map[string]any    `json:"filter"`
	Postings   int64             `json:"postings"`
	Skills     []dashboard.Skill `json:"skills"`
	Categories []struct {
		ID, Ko, En string
	} `json:"categories"`
}

// directCount counts the fixture's postings and their skills under a
// filter straight from the warehouse file's core.recruit, by SQL: the
// snapshot, its skill rows and the Go aggregation are not involved.
type directCount struct {
	postings int64
	skills   map[string]int64
}

func countDirect(t *testing.T, db *sql.DB, q url.Values) directCount {
	t.Helper()
	where := `posted_date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
		AND ($role = 'all' OR coalesce(role, 'other') = $role)
		AND (NOT $entry OR is_entry_level)
		AND ($province = '' OR province = $province)
		AND ($industry = '' OR industry_category = $industry)`
	args := []any{sql.Named("from", q.Get("from")), sql.Named("to", q.Get("to")), sql.Named("role", q.Get("role")),
		sql.Named("entry", q.Get("entry") == "1"), sql.Named("province", q.Get("province")), sql.Named("industry", q.Get("industry"))}
	ctx := context.Background()
	c := directCount{skills: map[string]int64{}}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM core.recruit WHERE `+where, args...).Scan(&c.postings); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT skill, count(*) FROM (SELECT unnest(skills) AS skill FROM core.recruit WHERE `+where+`) GROUP BY skill`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		c.skills[s] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSkillsHonourFilters asks the skills under every filter of the page,
// alone and combined, and checks each count and share against a direct
// count over the fixture; no answer names an industry or a keyword that is
// not a skill.
func TestSkillsHonourFilters(t *testing.T) {
	t.Parallel()
	path := warehouseFile(t, nil, "정보처리기사")
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	var industries []string
	if err := db.QueryRow(`SELECT list(DISTINCT industry_name) || list(DISTINCT industry_category) FROM core.recruit`).Scan(&stringList{&industries}); err != nil {
		t.Fatal(err)
	}
	var it, finance string
	if err := db.QueryRow(`SELECT any_value(industry_category) FILTER (WHERE industry_code = '301'), any_value(industry_category) FILTER (WHERE industry_code = '401') FROM core.recruit`).Scan(&it, &finance); err != nil {
		t.Fatal(err)
	}
	span := url.Values{"from": {"2026-09-01"}, "to": {"2026-09-30"}}
	with := func(base url.Values, kv ...string) url.Values {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}
	cases := []url.Values{
		with(span, "role", "all"),
		with(span, "role", "all", "entry", "1"),
		with(span, "role", "all", "province", "서울"),
		with(span, "role", "all", "province", "경기"),
		with(span, "role", "all", "industry", it),
		with(span, "role", "all", "industry", finance),
		with(span, "role", "all", "entry", "1", "province", "서울"),
		with(span, "role", "all", "entry", "1", "province", "서울", "industry", it),
		with(span, "role", "data_analyst", "entry", "1"),
		with(span, "role", "data_analyst", "province", "서울"),
		with(span, "role", "data_engineer", "industry", it),
		with(span, "role", "data_engineer", "province", "경기", "entry", "1"),
		with(span, "role", "other"),
		with(span, "role", "other", "entry", "1"),
		{"role": {"all"}, "from": {"2026-09-16"}, "to": {"2026-09-22"}},
		{"role": {"all"}, "province": {"서울"}, "from": {"2026-09-16"}, "to": {"2026-09-22"}},
	}
	want := map[string]directCount{}
	prev := map[string]directCount{}
	for _, q := range cases {
		want[q.Encode()] = countDirect(t, db, q)
		// The period of the same length just before, for "before".
		p := with(q, "from", "2026-09-09", "to", "2026-09-15")
		prev[q.Encode()] = countDirect(t, db, p)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, path)

	dict := skills.Default()
	filtered := false
	for _, q := range cases {
		var a skillsAnswer
		if code := get(t, srv, "/api/skills?"+q.Encode(), &a); code != 200 {
			t.Fatalf("%s: %d", q.Encode(), code)
		}
		w := want[q.Encode()]
		if a.Postings != w.postings {
			t.Errorf("%s: %d postings; want %d", q.Encode(), a.Postings, w.postings)
		}
		if w.postings != want[with(span, "role", "all").Encode()].postings {
			filtered = true
		}
		got := map[string]int64{}
		for _, k := range a.Skills {
			got[k.Name] = k.Postings
			if k.Share != float64(k.Postings)/float64(a.Postings) {
				t.Errorf("%s: %s share %v; want %d/%d", q.Encode(), k.Name, k.Share, k.Postings, a.Postings)
			}
			s, ok := dict.Lookup(k.Name)
			if !ok || k.Ko != s.Ko || k.En != s.En || k.Category != string(s.Category) {
				t.Errorf("%s: %+v is not the dictionary's %+v", q.Encode(), k, s)
			}
			if slices.Contains(industries, k.Name) || slices.Contains(notSkills, k.Name) {
				t.Errorf("%s: %q is an industry or a keyword that is not a skill", q.Encode(), k.Name)
			}
			// Only the week of 16-22 Sep has a whole week before it in the
			// warehouse (from 7 Sep).
			switch {
			case q.Get("from") == "2026-09-16":
				p := prev[q.Encode()]
				if k.Before == nil || (p.postings > 0 && math.Abs(*k.Before-float64(p.skills[k.Name])/float64(p.postings)) > 1e-12) {
					t.Errorf("%s: %s before %v; want %d/%d", q.Encode(), k.Name, k.Before, p.skills[k.Name], p.postings)
				}
			case k.Before != nil:
				t.Errorf("%s: %s before %v; want null (the month before is not in the warehouse)", q.Encode(), k.Name, *k.Before)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(w.skills) {
			t.Errorf("%s: skills %v; want %v", q.Encode(), got, w.skills)
		}
		for i := 1; i < len(a.Skills); i++ {
			if a.Skills[i].Postings > a.Skills[i-1].Postings {
				t.Errorf("%s: skills not largest first: %+v", q.Encode(), a.Skills)
			}
		}
		if a.Filter["entry"] != (q.Get("entry") == "1") || a.Filter["province"] != q.Get("province") || a.Filter["industry"] != q.Get("industry") {
			t.Errorf("%s: filter echoed %v", q.Encode(), a.Filter)
		}
	}
	if !filtered {
		t.Fatal("no case filters any posting out: the test tells nothing")
	}

	// One case by hand: newcomers in 서울 are postings 1 (Python, SQL,
	// Spark) and 6 (no skill).
	var a skillsAnswer
	get(t, srv, "/api/skills?"+with(span, "role", "all", "entry", "1", "province", "서울").Encode(), &a)
	if a.Postings != 2 || len(a.Skills) != 3 || a.Skills[0].Name != "Python" || a.Skills[0].Share != 0.5 || a.Skills[0].Ko != "파이썬" {
		t.Errorf("newcomers in 서울: %d postings, %+v; want 2, Python, SQL and Spark at 50%%", a.Postings, a.Skills)
	}
}

// TestSkillsCategory narrows the skills to one category, each answer
// naming the categories with their labels.
func TestSkillsCategory(t *testing.T) {
	t.Parallel()
	srv := server(t)
	span := "&from=2026-09-01&to=2026-09-30"
	tests := []struct {
		category string
		want     []string
	}{
		{"", []string{"Python", "SQL", "AWS", "Spark", "Tableau", "Airflow", "Excel", "Java", "MySQL", "PyTorch"}},
		{"language", []string{"Python", "SQL", "Java"}},
		{"bi", []string{"Tableau", "Excel"}},
		{"processing", []string{"Spark", "Airflow"}},
		{"cloud", []string{"AWS"}},
		{"storage", []string{"MySQL"}},
		{"ml", []string{"PyTorch"}},
	}
	for _, tc := range tests {
		var a skillsAnswer
		if code := get(t, srv, "/api/skills?role=all&category="+tc.category+span, &a); code != 200 {
			t.Fatalf("category %q: %d", tc.category, code)
		}
		var names []string
		for _, k := range a.Skills {
			names = append(names, k.Name)
		}
		if !slices.Equal(names, tc.want) || a.Postings != 7 || a.Filter["category"] != tc.category {
			t.Errorf("category %q: %q of %d postings (filter %v); want %q of 7", tc.category, names, a.Postings, a.Filter, tc.want)
		}
		if len(a.Categories) != 6 || a.Categories[0].ID != "language" || a.Categories[0].Ko != "프로그래밍 언어" || a.Categories[0].En != "Languages" {
			t.Errorf("categories %+v", a.Categories)
		}
	}
	var e map[string]string
	if code := get(t, srv, "/api/skills?category=industry"+span, &e); code != 400 || !strings.Contains(e["error"], "category=") {
		t.Errorf("category=industry: %d %v; want 400 naming the categories", code, e)
	}
}

// stringList scans a DuckDB VARCHAR[].
type stringList struct{ dst *[]string }

func (l stringList) Scan(src any) error {
	items, ok := src.([]any)
	if !ok {
		return fmt.Errorf("not a list: %T", src)
	}
	for _, it := range items {
		s, _ := it.(string)
		*l.dst = append(*l.dst, s)
	}
	return nil
}

// TestBrowserSkills opens the skills chart in Chromium: names in the
// page's language, bars coloured by category with a legend naming them,
// the category chooser narrowing the chart and kept in the URL, and every
// filter of the page applied.
func TestBrowserSkills(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := server(t)
	open := func(q string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?"+q), chromedp.WaitVisible(`#skills[data-ready="1"]`)); err != nil {
			t.Fatalf("open %s: %v", q, err)
		}
	}
	labels := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll("#skills svg text")].map(e => e.textContent).join("|")`)
	}
	span := "from=2026-09-01&to=2026-09-30"

	// Korean: the dictionary's Korean names, the legend's categories.
	open("role=data_engineer&" + span)
	if r, l := text(t, ctx, "#skills-reading"), labels(); !strings.Contains(r, "스파크") || !strings.Contains(r, "100%") ||
		!strings.Contains(l, "스파크") || !strings.Contains(l, "파이썬") || !strings.Contains(l, "데이터 처리") || strings.Contains(l, "Apache Spark") {
		t.Errorf("data engineers in Korean: reading %q, labels %q", r, l)
	}
	// Every filter applies: newcomers in 서울 are 2 postings.
	open("role=all&entry=1&province=" + url.QueryEscape("서울") + "&" + span)
	if n, r := attr(t, ctx, "#skills", "data-postings"), text(t, ctx, "#skills-reading"); n != "2" || !strings.Contains(r, "2건") || !strings.Contains(r, "50%") {
		t.Errorf("newcomers in 서울: %s postings, reading %q; want 2, 파이썬 at 50%%", n, r)
	}

	// English, opened on one category.
	open("role=all&category=bi&lang=en&" + span)
	if r, l := text(t, ctx, "#skills-reading"), labels(); !strings.Contains(r, "BI and visualisation") || !strings.Contains(r, "Tableau") ||
		!strings.Contains(l, "Excel") || strings.Contains(l, "태블로") || strings.Contains(l, "Python") {
		t.Errorf("BI in English: reading %q, labels %q", r, l)
	}
	if v := eval[string](t, ctx, `document.getElementById("skill-category").value`); v != "bi" {
		t.Errorf("the chooser reads %q; want bi", v)
	}
	// Choosing another category redraws the chart and keeps it in the URL
	// and in the link to the other language.
	eval[bool](t, ctx, `(() => { const s = document.getElementById("skill-category"); s.value = "language"; return s.dispatchEvent(new Event("change")); })()`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("skills").dataset.top === "Python"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("after choosing languages the chart did not show Python first: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if back := attr(t, ctx, "#lang", "href"); !strings.Contains(loc, "category=language") || !strings.Contains(back, "category=language") || !strings.Contains(loc, "lang=en") {
		t.Errorf("after choosing languages: url %q, Korean link %q", loc, back)
	}
	// A filter of the page keeps the category.
	eval[bool](t, ctx, `(() => { const s = document.querySelector('select[name="role"]'); s.value = "data_analyst"; return s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("skills").dataset.postings === "2"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("after choosing data analysts the skills did not count their 2 postings: %v", err)
	}
	if r, loc := text(t, ctx, "#skills-reading"), eval[string](t, ctx, `location.search`); !strings.Contains(r, "SQL") || !strings.Contains(r, "Languages") || !strings.Contains(loc, "category=language") {
		t.Errorf("data analysts' languages: reading %q, url %q", r, loc)
	}
	// A category the dictionary does not have is said on the page.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?category=industry&"+span)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("error").hidden`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("a bad category showed no message: %v", err)
	}
	if e := text(t, ctx, "#error"); !strings.Contains(e, "category=") {
		t.Errorf("the message for a bad category reads %q", e)
	}
	noViolations(t, ctx)
}
